/*
 * Strafftid as a coordinator writes it ("2 år 6 månader", "8 mån", "14 dagar") to the ISO 8601
 * duration the API takes (P2Y6M), and back. What cannot be read is sent as written, so the API's
 * own check names the field (sentence.length) rather than the form guessing.
 */
const UNITS: [RegExp, string][] = [
  [/^år$/, 'Y'],
  [/^mån(ad|ader)?\.?$/, 'M'],
  [/^v(ecka|eckor)?\.?$/, 'W'],
  [/^d(ag|agar)?\.?$/, 'D'],
];

export function sentenceLengthToIso(text: string): string {
  const t = text.trim().toLowerCase();
  if (/^p/.test(t)) return t.toUpperCase();
  const parts = [...t.matchAll(/(\d+)\s*([a-zåäö.]+)/g)];
  // Anything besides amounts, units, commas and "och" is not understood: sent as written.
  const rest = t.replace(/(\d+)\s*([a-zåäö.]+)/g, '').replace(/\boch\b|,/g, '').trim();
  if (parts.length === 0 || rest) return text.trim();
  const amounts: Record<string, number> = {};
  for (const [, n, unit] of parts) {
    const code = UNITS.find(([re]) => re.test(unit!))?.[1];
    if (!code || code in amounts) return text.trim();
    amounts[code] = Number(n);
  }
  const iso = ['Y', 'M', 'W', 'D'].map((c) => (c in amounts ? `${amounts[c]}${c}` : '')).join('');
  return `P${iso}`;
}

const NAMES: Record<string, [string, string]> = { Y: ['år', 'år'], M: ['månad', 'månader'], W: ['vecka', 'veckor'], D: ['dag', 'dagar'] };

/** "P2Y6M" → "2 år 6 månader"; anything else as it is. */
export function sentenceLengthText(iso: string): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/.exec(iso);
  if (!m || iso === 'P') return iso;
  return (['Y', 'M', 'W', 'D'] as const)
    .map((c, k) => (m[k + 1] ? `${m[k + 1]} ${NAMES[c]![Number(m[k + 1]) === 1 ? 0 : 1]}` : ''))
    .filter(Boolean)
    .join(' ');
}
