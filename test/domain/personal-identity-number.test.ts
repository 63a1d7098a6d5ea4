import fc from 'fast-check';
import { isValidPersonalIdentityNumber, luhnCheckDigit, maskPersonalIdentityNumber } from '../../domain/personal-identity-number';
import { personalIdentityNumberSchema } from '../../domain/schemas/personal-identity-number';

/** Independent Luhn, so the tests do not trust the implementation under test. */
function checkDigit(nine: string): string {
  const sum = [...nine]
    .map((c, i) => Number(c) * (i % 2 === 0 ? 2 : 1))
    .reduce((acc, p) => acc + Math.floor(p / 10) + (p % 10), 0);
  return String((10 - (sum % 10)) % 10);
}

/** A synthetic number for the date YYYYMMDD and serial NNN, with a correct check digit. */
function pin(yyyymmdd: string, serial = '123'): string {
  return `${yyyymmdd}${serial}${checkDigit(`${yyyymmdd.slice(2)}${serial}`)}`;
}

/** Same number with the check digit replaced by a wrong one. */
function withWrongCheckDigit(p: string): string {
  return `${p.slice(0, 11)}${(Number(p[11]) + 1) % 10}`;
}

const hyphenate = (p: string) => `${p.slice(0, 8)}-${p.slice(8)}`;

describe('personalIdentityNumberSchema', () => {
  it.each([
    ['ordinary', pin('19850101')],
    ['leap day', pin('20240229')],
    ['leap day in a year divisible by 400', pin('20000229')],
    ['last day of a 30-day month', pin('19990430')],
    ['last day of a 31-day month', pin('19991231')],
    ['samordningsnummer, first of month', pin('19850161')],
    ['samordningsnummer, 31st', pin('19850191')],
    ['samordningsnummer, leap day', pin('20240289')],
    ['serial 000', pin('19700101', '000')],
  ])('accepts %s and normalises it', (_label, p) => {
    expect(personalIdentityNumberSchema.parse(p)).toBe(p);
    expect(personalIdentityNumberSchema.parse(hyphenate(p))).toBe(p);
    expect(isValidPersonalIdentityNumber(p)).toBe(true);
    expect(isValidPersonalIdentityNumber(hyphenate(p))).toBe(true);
  });

  const base = pin('19850101');
  it.each([
    ['empty', ''],
    ['10 digits', base.slice(2)],
    ['10 digits with hyphen', hyphenate(base).slice(2)],
    ['11 digits', base.slice(1)],
    ['13 digits', `${base}0`],
    ['hyphen one too early', `${base.slice(0, 7)}-${base.slice(7)}`],
    ['hyphen one too late', `${base.slice(0, 9)}-${base.slice(9)}`],
    ['two hyphens', `${base.slice(0, 8)}--${base.slice(8)}`],
    ['trailing hyphen', `${base}-`],
    ['plus sign', `${base.slice(0, 8)}+${base.slice(8)}`],
    ['space', `${base.slice(0, 8)} ${base.slice(8)}`],
    ['surrounding whitespace', ` ${base} `],
    ['letters', `${base.slice(0, 11)}X`],
    ['February 29 in a common year', pin('20230229')],
    ['February 29 in 1900', pin('19000229')],
    ['February 30', pin('19850230')],
    ['April 31', pin('19850431')],
    ['month 00', pin('19850001')],
    ['month 13', pin('19851301')],
    ['day 00', pin('19850100')],
    ['day 32', pin('19850132')],
    ['day 60 (neither form)', pin('19850160')],
    ['samordningsnummer day 92', pin('19850192')],
    ['samordningsnummer February 29 in a common year', pin('20230289')],
    ['samordningsnummer April 31', pin('19850491')],
    ['bad check digit', withWrongCheckDigit(base)],
    ['bad check digit with hyphen', hyphenate(withWrongCheckDigit(base))],
  ])('rejects %s', (_label, s) => {
    expect(personalIdentityNumberSchema.safeParse(s).success).toBe(false);
    expect(isValidPersonalIdentityNumber(s)).toBe(false);
  });

  it.each([123456789012, null, undefined, {}])('rejects non-string %j', (v) => {
    expect(personalIdentityNumberSchema.safeParse(v).success).toBe(false);
    expect(isValidPersonalIdentityNumber(v)).toBe(false);
  });

  it.each([
    ['format', `${pin('19850101')}9`],
    ['date', pin('19850230')],
    ['checksum', withWrongCheckDigit(pin('19850101'))],
  ])('says what is wrong (%s) without repeating any part of the number', (problem, s) => {
    const result = personalIdentityNumberSchema.safeParse(hyphenate(s));
    expect(result.success).toBe(false);
    const text = `${result.error?.message} ${JSON.stringify(result.error?.issues)} ${String(result.error)}`;
    expect(text).toContain(problem === 'format' ? '12 digits' : problem === 'date' ? 'date' : 'check digit');
    expect(text).not.toContain(s.slice(0, 8));
    expect(text).not.toContain(s.slice(2, 8));
    expect(text).not.toContain(s.slice(8, 12));
  });

  it('does not leak a non-string input either', () => {
    const result = personalIdentityNumberSchema.safeParse(198501011234);
    expect(JSON.stringify(result.error?.issues)).not.toContain('198501011234');
  });
});

describe('luhnCheckDigit', () => {
  it('matches the independent implementation for a few serials', () => {
    for (const nine of ['850101123', '000000000', '999999999', '121212121']) {
      expect(String(luhnCheckDigit(nine))).toBe(checkDigit(nine));
    }
  });
});

describe('maskPersonalIdentityNumber', () => {
  it.each([
    [pin('19850101'), '19850101-****'],
    [hyphenate(pin('19850101')), '19850101-****'],
    [pin('19850161'), '19850161-****'],
    ['garbage', '********-****'],
    [pin('19850101').slice(2), '********-****'],
    ['', '********-****'],
  ])('%j → %s', (input, masked) => {
    expect(maskPersonalIdentityNumber(input)).toBe(masked);
  });
});

describe('properties', () => {
  const validPin = fc
    .record({
      date: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }),
      serial: fc.integer({ min: 0, max: 999 }),
      coordination: fc.boolean(),
    })
    .map(({ date, serial, coordination }) => {
      const y = String(date.getUTCFullYear());
      const m = String(date.getUTCMonth() + 1).padStart(2, '0');
      const d = String(date.getUTCDate() + (coordination ? 60 : 0)).padStart(2, '0');
      return pin(`${y}${m}${d}`, String(serial).padStart(3, '0'));
    });

  it('every generated number validates, with or without hyphen, and normalises to itself', () => {
    fc.assert(
      fc.property(validPin, (p) => {
        expect(isValidPersonalIdentityNumber(p)).toBe(true);
        expect(personalIdentityNumberSchema.parse(hyphenate(p))).toBe(p);
        expect(maskPersonalIdentityNumber(p)).toBe(`${p.slice(0, 8)}-****`);
      }),
    );
  });

  it('any other check digit fails', () => {
    fc.assert(
      fc.property(validPin, fc.integer({ min: 1, max: 9 }), (p, delta) => {
        const changed = `${p.slice(0, 11)}${(Number(p[11]) + delta) % 10}`;
        expect(isValidPersonalIdentityNumber(changed)).toBe(false);
      }),
    );
  });

  it('any single-digit change in the last ten digits fails', () => {
    fc.assert(
      fc.property(validPin, fc.integer({ min: 2, max: 11 }), fc.integer({ min: 1, max: 9 }), (p, pos, delta) => {
        const changed = `${p.slice(0, pos)}${(Number(p[pos]) + delta) % 10}${p.slice(pos + 1)}`;
        expect(isValidPersonalIdentityNumber(changed)).toBe(false);
      }),
    );
  });
});
