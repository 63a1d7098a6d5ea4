import { durationToMs, sumDurations } from './duration';
import type { Area } from './schemas/vocabulary';

/*
 * Interventions that can only start when others are done (Brå: *i vilken ordning insatserna bör
 * komma*): identity documents before a bank account, income before a tenancy. A requirement
 * names the areas it waits for (`after`) and how long it needs once they are done (`leadTime`).
 * Pure, without zod: the workflow bundle loads it.
 */

interface ChainRequirement { area: Area; dueBeforeRelease: string; after?: readonly Area[]; leadTime?: string }

/**
 * The requirements (by index) that are part of a cycle or wait for an area no requirement has,
 * as the policy's problems: a chain that cannot be ordered has no due dates.
 */
export function chainProblems(requirements: readonly ChainRequirement[]): { index: number; message: string }[] {
  const areas = new Set(requirements.map((r) => r.area));
  const problems: { index: number; message: string }[] = [];
  requirements.forEach((r, index) => {
    const unknown = (r.after ?? []).find((a) => !areas.has(a));
    if (unknown) problems.push({ index, message: `waits for ${unknown}, which no requirement of this policy covers` });
  });
  // Depth-first over areas; an area met again on the current path closes a cycle.
  const waitsFor = (area: Area) => requirements.filter((r) => r.area === area).flatMap((r) => r.after ?? []);
  const state = new Map<Area, 'visiting' | 'done'>();
  const cyclic = new Set<Area>();
  const visit = (area: Area, path: Area[]) => {
    if (state.get(area) === 'done') return;
    if (state.get(area) === 'visiting') {
      for (const a of path.slice(path.indexOf(area))) cyclic.add(a);
      return;
    }
    state.set(area, 'visiting');
    for (const next of waitsFor(area)) visit(next, [...path, area]);
    state.set(area, 'done');
  };
  for (const a of areas) visit(a, []);
  requirements.forEach((r, index) => {
    if (cyclic.has(r.area) && (r.after ?? []).some((a) => cyclic.has(a))) {
      problems.push({ index, message: `the order of ${r.area} and ${(r.after ?? []).filter((a) => cyclic.has(a)).join(', ')} goes round in a circle` });
    }
  });
  return problems;
}

/**
 * How long before release each requirement is due once the chain is respected: its own
 * `dueBeforeRelease`, or earlier where a dependant needs its `leadTime` after it, derived
 * backwards from the release along the chain. Only the requirements that apply (`applies`)
 * take part. Assumes a policy without cycles (chainProblems refuses those when it is saved).
 */
export function chainedDueBeforeRelease(requirements: readonly ChainRequirement[], applies: (index: number) => boolean): string[] {
  const memo = new Map<number, string>();
  const offset = (index: number, depth = 0): string => {
    const known = memo.get(index);
    if (known) return known;
    const r = requirements[index]!;
    let latest = r.dueBeforeRelease;
    if (depth <= requirements.length) {
      requirements.forEach((d, j) => {
        if (j === index || !applies(j) || !(d.after ?? []).includes(r.area)) return;
        const needed = sumDurations(offset(j, depth + 1), d.leadTime ?? 'PT0S');
        if (durationToMs(needed) > durationToMs(latest)) latest = needed;
      });
    }
    memo.set(index, latest);
    return latest;
  };
  return requirements.map((_, i) => offset(i));
}
