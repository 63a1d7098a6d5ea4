import { MUNICIPALITIES, municipalityName, municipalityText } from '../../domain/municipalities';
import { municipalityCodeSchema } from '../../domain/schemas/vocabulary';

test('all 290 municipalities, each a valid four-digit code with a name of its own', () => {
  const codes = Object.keys(MUNICIPALITIES);
  expect(codes).toHaveLength(290);
  for (const code of codes) expect(municipalityCodeSchema.safeParse(code).success).toBe(true);
  expect(new Set(Object.values(MUNICIPALITIES)).size).toBe(290);
  // 21 counties: 01, 03–10, 12–14, 17–25 (02, 11, 15, 16 were merged away).
  expect(new Set(codes.map((c) => c.slice(0, 2)))).toEqual(new Set(['01', '03', '04', '05', '06', '07', '08', '09', '10', '12', '13', '14', '17', '18', '19', '20', '21', '22', '23', '24', '25']));
});

test('known codes give their names; an unknown code shows the code', () => {
  expect(municipalityName('0180')).toBe('Stockholm');
  expect(municipalityName('1480')).toBe('Göteborg');
  expect(municipalityName('1280')).toBe('Malmö');
  expect(municipalityName('0380')).toBe('Uppsala');
  expect(municipalityName('2584')).toBe('Kiruna');
  expect(municipalityName('0330')).toBe('Knivsta');
  expect(municipalityName('0980')).toBe('Gotland');
  expect(municipalityText('1480')).toBe('Göteborg (1480)');
  expect(municipalityName('9999')).toBeNull();
  expect(municipalityText('9999')).toBe('9999');
  expect(municipalityName('toString')).toBeNull();
});
