import fc from 'fast-check';
import { z } from 'zod';
import {
  addDuration,
  DAY_MS,
  durationToMs,
  formatIso,
  isoAt,
  isValidDuration,
  parseDuration,
  toEpochMs,
  type Duration,
} from '../../domain/duration';
import { durationSchema } from '../../domain/schemas/duration-schema';

const iso = (ms: number) => new Date(ms).toISOString();
const zero: Duration = { years: 0, months: 0, weeks: 0, days: 0, hours: 0, minutes: 0, seconds: 0 };

describe('parseDuration', () => {
  it.each<[string, Partial<Duration>]>([
    ['P1Y2M3W4DT5H6M7.5S', { years: 1, months: 2, weeks: 3, days: 4, hours: 5, minutes: 6, seconds: 7.5 }],
    ['PT20S', { seconds: 20 }],
    ['P30D', { days: 30 }],
    ['P1M', { months: 1 }],
    ['PT1M', { minutes: 1 }],
    ['P2W', { weeks: 2 }],
    ['P1DT12H', { days: 1, hours: 12 }],
    ['P0D', {}],
    ['PT0,5S', { seconds: 0.5 }],
    ['P1Y1D', { years: 1, days: 1 }],
  ])('%s', (s, expected) => {
    expect(parseDuration(s)).toEqual({ ...zero, ...expected });
  });

  it.each([
    '',
    'P',
    'PT',
    'P1DT',
    '-P1D',
    'P-1D',
    'P1.5D',
    'PT1.S',
    'PT.5S',
    'p1d',
    '1D',
    'P1D ',
    ' P1D',
    'P1S',
    'PT1D',
    'P1M1Y',
    'PT1S1M',
    'P1DT1H1H',
    'garbage',
    'P99999999999999999999D',
  ])('rejects %j', (s) => {
    expect(() => parseDuration(s)).toThrow(RangeError);
    expect(isValidDuration(s)).toBe(false);
  });

  it('isValidDuration is false for non-strings', () => {
    expect(isValidDuration(30)).toBe(false);
    expect(isValidDuration(undefined)).toBe(false);
  });

  it('round-trips any combination of components', () => {
    const n = fc.nat({ max: 10_000 });
    fc.assert(
      fc.property(n, n, n, n, n, n, n, (years, months, weeks, days, hours, minutes, seconds) => {
        const s = `P${years}Y${months}M${weeks}W${days}DT${hours}H${minutes}M${seconds}S`;
        expect(parseDuration(s)).toEqual({ years, months, weeks, days, hours, minutes, seconds });
      }),
    );
  });
});

describe('durationSchema', () => {
  it('accepts durations and keeps the string', () => {
    expect(durationSchema.parse('P30D')).toBe('P30D');
    expect(durationSchema.parse('PT20S')).toBe('PT20S');
  });

  it.each(['P', 'PT', '-P1D', 'P1X', 42, null])('rejects %j', (v) => {
    expect(durationSchema.safeParse(v).success).toBe(false);
  });
});

describe('addDuration', () => {
  it.each<[string, string, 1 | -1, string]>([
    // Month ends clamp instead of rolling over.
    ['2025-01-31T00:00:00Z', 'P1M', 1, '2025-02-28T00:00:00.000Z'],
    ['2024-01-31', 'P1M', 1, '2024-02-29T00:00:00.000Z'],
    ['2025-03-31', 'P1M', -1, '2025-02-28T00:00:00.000Z'],
    ['2024-03-31', 'P1M', -1, '2024-02-29T00:00:00.000Z'],
    ['2025-05-31', 'P1M', 1, '2025-06-30T00:00:00.000Z'],
    ['2025-01-30', 'P1M', 1, '2025-02-28T00:00:00.000Z'],
    // Leap days.
    ['2024-02-29', 'P1Y', 1, '2025-02-28T00:00:00.000Z'],
    ['2024-02-29', 'P4Y', 1, '2028-02-29T00:00:00.000Z'],
    ['2024-02-29', 'P1Y', -1, '2023-02-28T00:00:00.000Z'],
    ['2100-01-29', 'P1M', 1, '2100-02-28T00:00:00.000Z'],
    ['2000-01-29', 'P1M', 1, '2000-02-29T00:00:00.000Z'],
    ['2024-02-28', 'P1D', 1, '2024-02-29T00:00:00.000Z'],
    ['2025-02-28', 'P1D', 1, '2025-03-01T00:00:00.000Z'],
    // Calendar part first, then exact part.
    ['2025-01-31', 'P1M1D', 1, '2025-03-01T00:00:00.000Z'],
    ['2025-03-01', 'P1M1D', -1, '2025-01-31T00:00:00.000Z'],
    // Crossing year boundaries.
    ['2025-12-15T10:00:00Z', 'P1M', 1, '2026-01-15T10:00:00.000Z'],
    ['2025-01-15', 'P2M', -1, '2024-11-15T00:00:00.000Z'],
    ['2025-01-15', 'P25M', 1, '2027-02-15T00:00:00.000Z'],
    // Days are 24 h in UTC; the Swedish DST switch on 2025-10-26 does not matter.
    ['2025-10-25T12:00:00Z', 'P1D', 1, '2025-10-26T12:00:00.000Z'],
    ['2025-03-29T23:30:00+01:00', 'P1D', 1, '2025-03-30T22:30:00.000Z'],
    ['2025-01-01', 'P1W', 1, '2025-01-08T00:00:00.000Z'],
    ['2025-01-01', 'PT20S', 1, '2025-01-01T00:00:20.000Z'],
    ['2025-01-01', 'PT0.001S', 1, '2025-01-01T00:00:00.001Z'],
    ['2025-01-01', 'P1DT1H1M1.5S', -1, '2024-12-30T22:58:58.500Z'],
    ['2025-01-01T00:00:00.250Z', 'PT1H', 1, '2025-01-01T01:00:00.250Z'],
    ['2025-01-01', 'P0D', 1, '2025-01-01T00:00:00.000Z'],
    // Two-digit years must not be mapped to the 1900s.
    ['0050-01-31', 'P1M', 1, '0050-02-28T00:00:00.000Z'],
  ])('%s %s (sign %d) → %s', (from, d, sign, expected) => {
    expect(iso(addDuration(from, d, sign))).toBe(expected);
  });

  it('accepts epoch ms, Date and a parsed duration', () => {
    const ms = Date.UTC(2025, 0, 31);
    expect(iso(addDuration(ms, 'P1M'))).toBe('2025-02-28T00:00:00.000Z');
    expect(iso(addDuration(new Date(ms), parseDuration('P1M')))).toBe('2025-02-28T00:00:00.000Z');
  });

  it('defaults to sign 1', () => {
    expect(addDuration('2025-01-01', 'P1D')).toBe(Date.UTC(2025, 0, 2));
  });

  it.each<[string | number, string]>([
    ['2025-02-30', 'P1D'],
    ['2025-13-01', 'P1D'],
    ['2025-01-01T00:00:00', 'P1D'], // no offset: would depend on the machine's zone
    ['01/02/2025', 'P1D'],
    ['', 'P1D'],
    [Number.NaN, 'P1D'],
    [Number.POSITIVE_INFINITY, 'P1D'],
    [9e15, 'P1D'],
    ['2025-01-01', 'P'],
    ['2025-01-01', 'P1X'],
  ])('throws for %j + %j', (from, d) => {
    expect(() => addDuration(from, d)).toThrow(RangeError);
  });

  it('throws when the result leaves the representable range', () => {
    expect(() => addDuration(8.64e15, 'P1D')).toThrow(RangeError);
    expect(() => addDuration(8.64e15, 'P1M')).toThrow(RangeError);
    expect(() => addDuration(-8.64e15, 'P1D', -1)).toThrow(RangeError);
  });

  const instant = fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) });
  const exactDuration = fc.record({
    weeks: fc.nat({ max: 520 }),
    days: fc.nat({ max: 5000 }),
    hours: fc.nat({ max: 100 }),
    minutes: fc.nat({ max: 1000 }),
    seconds: fc.nat({ max: 100_000 }),
  });
  const toIso = (d: { weeks: number; days: number; hours: number; minutes: number; seconds: number }) =>
    `P${d.weeks}W${d.days}DT${d.hours}H${d.minutes}M${d.seconds}S`;

  it('property: exact durations are undone by subtracting them', () => {
    fc.assert(
      fc.property(instant, exactDuration, (x, d) => {
        const s = toIso(d);
        expect(addDuration(addDuration(x, s), s, -1)).toBe(x);
        expect(addDuration(addDuration(x, s, -1), s)).toBe(x);
      }),
    );
  });

  it('property: exact durations move by exactly durationToMs', () => {
    fc.assert(
      fc.property(instant, exactDuration, (x, d) => {
        const s = toIso(d);
        expect(addDuration(x, s) - x).toBe(durationToMs(s));
      }),
    );
  });

  it('property: adding months keeps the time of day and never overshoots the target month', () => {
    fc.assert(
      fc.property(instant, fc.nat({ max: 1200 }), fc.constantFrom<1 | -1>(1, -1), (x, months, sign) => {
        const before = new Date(x);
        const after = new Date(addDuration(x, `P${months}M`, sign));
        const timeOfDay = (d: Date) => ((d.getTime() % DAY_MS) + DAY_MS) % DAY_MS;
        expect(timeOfDay(after)).toBe(timeOfDay(before));
        const monthIndex = (d: Date) => d.getUTCFullYear() * 12 + d.getUTCMonth();
        // `|| 0`: zero months backwards is -0, which toBe tells apart from 0.
        expect(monthIndex(after) - monthIndex(before)).toBe(sign * months || 0);
        expect(after.getUTCDate()).toBeLessThanOrEqual(before.getUTCDate());
      }),
    );
  });

  it('property: adding any duration never moves backwards', () => {
    const n = fc.nat({ max: 50 });
    fc.assert(
      fc.property(instant, n, n, n, n, (x, years, months, days, seconds) => {
        const s = `P${years}Y${months}M${days}DT${seconds}S`;
        expect(addDuration(x, s)).toBeGreaterThanOrEqual(x);
        expect(addDuration(x, s, -1)).toBeLessThanOrEqual(x);
      }),
    );
  });
});

describe('durationToMs', () => {
  it.each<[string, number]>([
    ['P1Y', 365 * DAY_MS],
    ['P1M', 30 * DAY_MS],
    ['P1W', 7 * DAY_MS],
    ['P30D', 30 * DAY_MS],
    ['PT20S', 20_000],
    ['PT0.1S', 100],
    ['P1Y2M3W4DT5H6M7.5S', (365 + 60 + 21 + 4) * DAY_MS + 5 * 3_600_000 + 6 * 60_000 + 7_500],
  ])('%s', (s, ms) => {
    expect(durationToMs(s)).toBe(ms);
  });

  it('orders policy durations', () => {
    const sorted = ['P1M', 'PT20S', 'P4W', 'P1D', 'P1Y'].sort((a, b) => durationToMs(a) - durationToMs(b));
    expect(sorted).toEqual(['PT20S', 'P1D', 'P4W', 'P1M', 'P1Y']);
  });

  it('accepts a parsed duration and rejects garbage', () => {
    expect(durationToMs({ ...zero, days: 2 })).toBe(2 * DAY_MS);
    expect(() => durationToMs('PT')).toThrow(RangeError);
  });
});

describe('toEpochMs', () => {
  // duration.ts checks ISO instants without zod (it is part of the workflow bundle); it must
  // accept exactly what zod's ISO date and date-time-with-offset checks accept.
  it('accepts exactly the strings zod accepts as an ISO date or a date-time with offset', () => {
    const zodAccepts = (s: string) => z.iso.date().safeParse(s).success || z.iso.datetime({ offset: true }).safeParse(s).success;
    const accepts = (s: string) => {
      try {
        toEpochMs(s);
        return true;
      } catch {
        return false;
      }
    };
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const candidate = fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 9999 }).map((y) => String(y).padStart(4, '0')), fc.constantFrom('2024', '2025', '1900', '2000', '0000')),
      two(13), two(32),
      fc.option(fc.tuple(two(25), two(61), fc.option(two(61)), fc.option(fc.constantFrom('.1', '.123', '.123456', '.')),
        fc.constantFrom('Z', 'z', '+02:00', '-05:30', '+2400', '+24:00', '+0200', '', '+02'))),
    ).map(([y, m, d, t]) => `${y}-${m}-${d}${t ? `T${t[0]}:${t[1]}${t[2] !== null ? `:${t[2]}` : ''}${t[3] ?? ''}${t[4]}` : ''}`);
    fc.assert(fc.property(fc.oneof(candidate, fc.string()), (s) => accepts(s) === zodAccepts(s)), { numRuns: 20_000 });
    for (const s of ['2024-02-29', '2025-02-29', '1900-02-29', '2000-02-29', '2025-04-31', '2025-12-31T23:59:59.5+01:00', '2025-06-01T24:00:00Z']) {
      expect({ s, ok: accepts(s) }).toEqual({ s, ok: zodAccepts(s) });
    }
  });

  it('reads dates as midnight UTC and honours offsets', () => {
    expect(toEpochMs('2025-06-01')).toBe(Date.UTC(2025, 5, 1));
    expect(toEpochMs('2025-06-01T02:00:00+02:00')).toBe(Date.UTC(2025, 5, 1));
    expect(toEpochMs('2025-06-01T00:00:00.123Z')).toBe(Date.UTC(2025, 5, 1) + 123);
  });
});

describe('formatIso', () => {
  // The schedule, `decide` and the simulator write every instant with it (issue 19): it must be
  // `toISOString` to the byte, fractions of a millisecond and the edges of the plain years included.
  const LAST_PLAIN = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
  it('writes what toISOString writes, for any instant', () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.double({ min: -1e13, max: 3e14, noNaN: true }),
      fc.constantFrom(0, -0, -1, 0.5, -0.5, 0.999, LAST_PLAIN, LAST_PLAIN + 0.5, LAST_PLAIN + 1, 8.64e15, -8.64e15, Date.UTC(2024, 1, 29, 23, 59, 59, 999)),
    );
    fc.assert(fc.property(instant, (ms) => formatIso(ms) === new Date(ms).toISOString() && isoAt(ms) === formatIso(ms)), { numRuns: 50_000 });
  });

  it('throws where toISOString throws', () => {
    for (const ms of [NaN, Infinity, -Infinity, 8.64e15 + 1]) expect(() => formatIso(ms)).toThrow(RangeError);
  });
});
