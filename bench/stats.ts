/** Small numeric helpers shared by the phases. */

/** Nearest-rank percentile of an ascending array (p in 0…1). NaN for no values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export interface Summary {
  n: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  minMs: number;
  meanMs: number;
}

/** Values in milliseconds, rounded to 0.01 ms for the report. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 100) / 100;
  return {
    n: s.length,
    p50Ms: r(percentile(s, 0.5)),
    p99Ms: r(percentile(s, 0.99)),
    maxMs: r(s.at(-1) ?? NaN),
    minMs: r(s[0] ?? NaN),
    meanMs: r(s.length ? s.reduce((a, b) => a + b, 0) / s.length : NaN),
  };
}

/** Runs `fn` over `items` with at most `concurrency` in flight; fails fast on the first error. */
export async function inPool<T>(items: readonly T[], concurrency: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const lane = async () => {
    while (failed === undefined && next < items.length) {
      const i = next++;
      try {
        await fn(items[i]!, i);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failed !== undefined) throw failed;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const round = (x: number, digits = 1) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};
