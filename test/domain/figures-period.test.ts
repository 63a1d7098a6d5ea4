import { addDays, figuresPeriod, swedishDay } from '../../domain/figures-period';

test('days are Swedish calendar days: 23.30 UTC on 31 March is already 1 April in Stockholm', () => {
  expect(swedishDay(new Date('2026-03-31T23:30:00Z'))).toBe('2026-04-01');
  expect(swedishDay(new Date('2026-01-31T22:59:00Z'))).toBe('2026-01-31');
  expect(swedishDay(new Date('2026-01-31T23:00:00Z'))).toBe('2026-02-01');
});

test('the default period is the 90 days up to and including today; a missing end is filled from the other', () => {
  const now = new Date('2026-03-31T10:00:00Z');
  expect(figuresPeriod({}, now)).toEqual({ from: '2026-01-01', to: '2026-03-31' });
  expect(figuresPeriod({ to: '2025-12-31' }, now)).toEqual({ from: '2025-10-03', to: '2025-12-31' });
  expect(figuresPeriod({ from: '2026-02-01' }, now)).toEqual({ from: '2026-02-01', to: '2026-03-31' });
  // A start in the future is not turned into an empty, inverted period.
  expect(figuresPeriod({ from: '2026-05-01' }, now)).toEqual({ from: '2026-05-01', to: '2026-05-01' });
  expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
});
