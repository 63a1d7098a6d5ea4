import type { GapKind } from '../domain/case-state';
import { DAY_MS } from '../domain/duration';
import type { DomainEvent } from '../domain/schemas/events';
import type { Area } from '../domain/schemas/vocabulary';
import type { CaseRun } from './journey';

export type Levels = { 1: number; 2: number; 3: number };

/** What one policy did to the cohort: the figures a steering group compares. */
export interface PolicyReport {
  label: string;
  cases: number;
  releases: number;
  /** Releases that left a required intervention open (level 3, rules 2). */
  releasesWithGap: number;
  /** By need area: required interventions open at release. */
  openAtReleaseByArea: Partial<Record<Area, number>>;
  /** Releases nobody took over overall responsibility for at once. */
  releasesWithoutSuccessor: number;
  alertsByLevel: Levels;
  alertsByAgency: Record<string, Levels>;
  alertsByKind: Partial<Record<GapKind, number>>;
  remindersSent: number;
  followUps: number;
  followUpsMissed: number;
  /** Each agency's open interventions at the start of each week (Mondays, `weekStarts`). */
  openWork: { weekStarts: string[]; byAgency: Record<string, number[]> };
  events: number;
  commands: number;
  refused: number;
  /** Cases whose loop hit its step limit; anything but 0 is a bug. */
  runaways: number;
}

const ENDS = new Set<DomainEvent['type']>(['InterventionCompleted', 'InterventionDeclined', 'InterventionWaived', 'InterventionCancelled']);

/** Collects case runs one by one, so a year of cases never has to be held in memory at once. */
export function reportCollector(label: string, year: number) {
  // Mondays from twelve weeks before the year of releases (the work planned for its first
  // releases) to sixteen weeks after it (their follow-ups).
  const jan1 = Date.UTC(year, 0, 1);
  const firstMonday = jan1 - ((new Date(jan1).getUTCDay() + 6) % 7) * DAY_MS - 12 * 7 * DAY_MS;
  const weeks = Math.ceil((Date.UTC(year + 1, 0, 1) - firstMonday) / (7 * DAY_MS)) + 16;
  const weekOf = (t: number) => Math.ceil((t - firstMonday) / (7 * DAY_MS));
  const deltas: Record<string, number[]> = {};
  const r: PolicyReport = {
    label, cases: 0, releases: 0, releasesWithGap: 0, openAtReleaseByArea: {}, releasesWithoutSuccessor: 0,
    alertsByLevel: { 1: 0, 2: 0, 3: 0 }, alertsByAgency: {}, alertsByKind: {}, remindersSent: 0, followUps: 0, followUpsMissed: 0,
    openWork: { weekStarts: [], byAgency: {} }, events: 0, commands: 0, refused: 0, runaways: 0,
  };
  /** +1 from the first Monday on or after it opens, −1 from the first on or after it ends. */
  const interval = (agencyId: string, from: number, to: number) => {
    const d = (deltas[agencyId] ??= new Array<number>(weeks + 1).fill(0));
    const a = Math.max(0, weekOf(from));
    const b = Math.min(weeks, weekOf(to));
    if (a >= b) return;
    d[a]! += 1;
    d[b]! -= 1;
  };

  return {
    add(run: CaseRun) {
      r.cases += 1;
      r.events += run.events.length;
      r.commands += run.sent.length;
      r.refused += run.refused;
      if (run.runaway) r.runaways += 1;
      const open = new Map<string, { agencyId: string; since: number }>();
      const areaOf = new Map<string, Area>();
      for (const e of run.events) {
        // Only the work's own events need their time: parsed there, not for every event.
        switch (e.type) {
          case 'InterventionPlanned':
            areaOf.set(e.data.interventionId, e.data.area);
            if (e.data.agencyId) open.set(e.data.interventionId, { agencyId: e.data.agencyId, since: Date.parse(e.occurredAt) });
            break;
          case 'InterventionAssigned': {
            const was = open.get(e.data.interventionId);
            const at = Date.parse(e.occurredAt);
            if (was) interval(was.agencyId, was.since, at);
            open.set(e.data.interventionId, { agencyId: e.data.agencyId, since: at });
            break;
          }
          case 'PhaseChanged':
            if (e.data.to !== 'frigiven') break;
            r.releases += 1;
            if (e.data.openAtRelease && e.data.openAtRelease.length > 0) {
              r.releasesWithGap += 1;
              for (const id of e.data.openAtRelease) {
                const area = areaOf.get(id);
                if (area) r.openAtReleaseByArea[area] = (r.openAtReleaseByArea[area] ?? 0) + 1;
              }
            }
            break;
          case 'AlertRaised': {
            const { level, agencyId, kind } = e.data;
            r.alertsByLevel[level] += 1;
            (r.alertsByAgency[agencyId] ??= { 1: 0, 2: 0, 3: 0 })[level] += 1;
            r.alertsByKind[kind] = (r.alertsByKind[kind] ?? 0) + 1;
            if (kind === 'successor_missing' && level === 3) r.releasesWithoutSuccessor += 1;
            break;
          }
          case 'ReminderSent': r.remindersSent += 1; break;
          case 'FollowUpScheduled': r.followUps += 1; break;
          case 'FollowUpMissed': r.followUpsMissed += 1; break;
          default:
            if (ENDS.has(e.type)) {
              const id = (e.data as { interventionId: string }).interventionId;
              const was = open.get(id);
              if (was) interval(was.agencyId, was.since, Date.parse(e.occurredAt));
              open.delete(id);
            }
        }
      }
      const end = run.events.length ? Date.parse(run.events[run.events.length - 1]!.occurredAt) : 0;
      for (const { agencyId, since } of open.values()) interval(agencyId, since, end);
    },
    report(): PolicyReport {
      r.openWork.weekStarts = Array.from({ length: weeks }, (_, k) => new Date(firstMonday + k * 7 * DAY_MS).toISOString().slice(0, 10));
      r.openWork.byAgency = Object.fromEntries(Object.entries(deltas).sort(([a], [b]) => a.localeCompare(b)).map(([agencyId, d]) => {
        let n = 0;
        return [agencyId, d.slice(0, weeks).map((x) => (n += x))];
      }));
      return r;
    },
  };
}
