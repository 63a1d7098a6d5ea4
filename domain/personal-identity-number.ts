/**
 * Swedish personal identity number (personnummer) and coordination number (samordningsnummer),
 * always in the 12-digit form YYYYMMDDNNNC. The 10-digit form is refused because its century is
 * ambiguous, and a wrong century means a wrong person.
 *
 * The number is sensitive personal data: no message, error or mask produced here ever contains
 * more of it than the birth date.
 */

/** Always 12 digits, no hyphen, once it has passed `personalIdentityNumberSchema` (schemas/personal-identity-number.ts). */
export type PersonalIdentityNumber = string;

// The hyphen is only allowed where Skatteverket prints it, before the last four digits.
const SHAPE_RE = /^(\d{8})-?(\d{4})$/;

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

function hasValidDate(digits: string): boolean {
  const year = Number(digits.slice(0, 4));
  const month = Number(digits.slice(4, 6));
  let day = Number(digits.slice(6, 8));
  // Samordningsnummer: Skatteverket adds 60 to the day so it can never collide with a personnummer.
  if (day > 60) day -= 60;
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Luhn check digit for the first nine of the ten digits YYMMDDNNN (the century is not part of it). */
export function luhnCheckDigit(nineDigits: string): number {
  let sum = 0;
  for (let i = 0; i < nineDigits.length; i++) {
    const product = Number(nineDigits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return (10 - (sum % 10)) % 10;
}

export type PersonalIdentityNumberProblem = 'format' | 'date' | 'checksum';

export function checkPersonalIdentityNumber(s: string): { digits: string } | { problem: PersonalIdentityNumberProblem } {
  const m = SHAPE_RE.exec(s);
  if (!m) return { problem: 'format' };
  const digits = `${m[1]}${m[2]}`;
  if (!hasValidDate(digits)) return { problem: 'date' };
  if (luhnCheckDigit(digits.slice(2, 11)) !== Number(digits[11])) return { problem: 'checksum' };
  return { digits };
}

export function isValidPersonalIdentityNumber(s: unknown): boolean {
  return typeof s === 'string' && 'digits' in checkPersonalIdentityNumber(s);
}

/** `19850101-****`: enough for a person to recognise whom a log line or list is about. */
/** The birth date (YYYY-MM-DD) a valid number carries; a samordningsnummer's day less 60. */
export function birthDateOf(pin: string): string | null {
  const m = SHAPE_RE.exec(pin);
  if (!m) return null;
  const d = m[1]!;
  const day = Number(d.slice(6, 8));
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${String(day > 60 ? day - 60 : day).padStart(2, '0')}`;
}

export function maskPersonalIdentityNumber(pin: string): string {
  const m = SHAPE_RE.exec(pin);
  // Something malformed might still be a number typed wrongly, so it is hidden entirely.
  return m ? `${m[1]}-****` : '********-****';
}
