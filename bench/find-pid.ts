import { readdirSync, readFileSync } from 'node:fs';

/** Processes by a piece of their command line (NUL-separated arguments joined by spaces), from /proc. */

/** Every process but this one whose command line contains `needle` (our temp folder, our server's flags). */
export function pidsMatching(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').includes(needle)) out.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return out;
}

/** The first such process. */
export function findPid(needle: string): number | undefined {
  return pidsMatching(needle)[0];
}
