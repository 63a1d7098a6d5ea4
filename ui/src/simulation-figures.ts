import { defaultWorld } from '../../simulation/world';
import type { PolicyReport } from './types';

/*
 * What the Simulering page reads out of the simulator's reports (simulation/report.ts), as the
 * command line's table does (scripts/simulate.ts): the same sums, so page and CLI agree.
 */

/** The simulated agencies are the simulator's own (simulation/world.ts), not the directory's. */
const NAMES = new Map(defaultWorld.directory.map((a) => [a.agencyId, a.name]));
export const simulatedAgencyName = (agencyId: string): string => NAMES.get(agencyId) ?? agencyId;

/** Releases that left a required intervention open, as a share of all releases (null: none released). */
export const gapShare = (r: PolicyReport): number | null => (r.releases ? r.releasesWithGap / r.releases : null);

/** Every key any of the reports has in `pick`, sorted: the rows of a side-by-side table. */
export function keysOf(reports: readonly PolicyReport[], pick: (r: PolicyReport) => Record<string, unknown>): string[] {
  return [...new Set(reports.flatMap((r) => Object.keys(pick(r))))].sort();
}

/** All alerts one agency got under a policy, every level. */
export function alertsOf(r: PolicyReport, agencyId: string): number {
  const l = r.alertsByAgency[agencyId];
  return l ? l[1] + l[2] + l[3] : 0;
}

/** An agency's open work per week, its mean (rounded as the CLI rounds it) and peak; null without a series. */
export function openWorkSummary(r: PolicyReport, agencyId: string): { mean: number; peak: number } | null {
  const w = r.openWork.byAgency[agencyId] ?? [];
  if (w.length === 0) return null;
  return { mean: Math.round(w.reduce((a, b) => a + b, 0) / w.length), peak: Math.max(...w) };
}

/** The agencies with a series of open work in any report, the busiest (by peak, first report) first. */
export function agenciesWithOpenWork(reports: readonly PolicyReport[]): string[] {
  const ids = keysOf(reports, (r) => r.openWork.byAgency);
  const first = reports[0];
  const peak = (id: string) => (first ? (openWorkSummary(first, id)?.peak ?? 0) : 0);
  return ids.sort((a, b) => peak(b) - peak(a) || a.localeCompare(b));
}

/** The policy's name as shown: an inline body has none of its own. */
export function policyLabel(r: PolicyReport): string {
  if (r.label === 'policy') return 'Egen policy';
  if (r.label === 'compare') return 'Egen jämförelsepolicy';
  return r.label === 'default' ? 'default (standard)' : r.label;
}
