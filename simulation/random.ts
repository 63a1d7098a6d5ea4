/**
 * A seeded generator (mulberry32) and the draws the simulator and the backtest need. Seeded and
 * self-contained, never Math.random: a what-if must come out the same for the same seed, on any
 * machine, so that two policies are compared on the same cohort and not on two lotteries.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** An independent stream for one item (a case, an agency), so adding one does not reshuffle the rest. */
export function substream(seed: number, ...keys: number[]): Random {
  let h = seed >>> 0;
  for (const k of keys) h = Math.imul(h ^ (k + 0x9e3779b9 + (h << 6) + (h >>> 2)), 0x85ebca6b) >>> 0;
  return seeded(h);
}

export const uniform = (r: Random, lo: number, hi: number) => lo + (hi - lo) * r.next();
export const chance = (r: Random, p: number) => r.next() < p;

export function normal(r: Random): number {
  // Box–Muller; 1 − u keeps the logarithm away from 0.
  const u = 1 - r.next();
  const v = r.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and log-scale spread: lead times are skewed, with a long tail. */
export const logNormal = (r: Random, median: number, sigma: number) => median * Math.exp(sigma * normal(r));

export const exponential = (r: Random, mean: number) => -mean * Math.log(1 - r.next());

/** One of the options, by weight. */
export function pick<T>(r: Random, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((n, [, w]) => n + w, 0);
  let u = r.next() * total;
  for (const [value, w] of options) {
    u -= w;
    if (u < 0) return value;
  }
  return options[options.length - 1]![0];
}
