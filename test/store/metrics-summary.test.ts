import type { CaseState } from '../../domain/case-state';
import type { DomainEvent } from '../../domain/schemas/events';
import { evolve } from '../../domain/evolve';
import { addDays, figuresPeriod, swedishDay, type FiguresPeriod } from '../../domain/figures-period';
import { gapsAt } from '../../domain/gaps';
import { metricsSummary, type MetricsSummary } from '../../store/metrics-summary';
import { createTestDatabase } from '../../dev/database';
import { generateLog } from '../support/generate-log';

/*
 * Every figure of GET /v1/metrics/summary against a plain reading of the event log: the same
 * numbers counted here, in TypeScript, from `SELECT * FROM events` and nothing else. What an
 * event means is the domain's (`evolve`, and `gapsAt` for what a gap is: both tested in
 * test/domain); what is counted, over which cases and in which window, is written out below
 * from DOMAIN.md "Follow-up and evaluation" and the figures' schema (api/schemas/figures.ts),
 * without any read model or SQL.
 */

let db: Awaited<ReturnType<typeof createTestDatabase>>;
const DAY = 86_400_000;
/** The moment the figures are taken at: the simulation ends a few hours before it. */
const NOW = new Date();
/** A quarter well inside the simulation, and the default period. */
const QUARTER: FiguresPeriod = { from: swedishDay(new Date(NOW.getTime() - 150 * DAY)), to: swedishDay(new Date(NOW.getTime() - 60 * DAY)) };

interface Release { at: string; before: CaseState; after: CaseState }
interface Case { state: CaseState; last: string; releases: Release[] }

let cases: Case[];
let figures: MetricsSummary;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  // Eight months of cases up to this morning: released long ago (reoffence at 100 days), recently
  // (follow-ups due and not yet due), and still inside with releases in the next 12 and 24 weeks.
  const days = 240;
  await generateLog(db.pool, {
    cases: 160, targetEvents: 1_000_000, seed: 18, stepHours: 24,
    start: new Date(NOW.getTime() - days * DAY - 4 * 3_600_000).toISOString(), days, openOverDays: days - 20,
  });
  cases = await readLog();
  figures = await metricsSummary(db.pool, { now: NOW, period: QUARTER });
}, 300_000);

afterAll(async () => {
  await db?.drop();
});

/** The log, case by case, folded event by event; each release with the state just before and after it. */
async function readLog(): Promise<Case[]> {
  const { rows } = await db.pool.query<{ stream_id: string; type: string; data: unknown; occurred_at: Date; metadata: { actor: unknown } }>(
    'SELECT * FROM events ORDER BY position');
  const byCase = new Map<string, Case>();
  const states = new Map<string, CaseState | undefined>();
  for (const r of rows) {
    const e = { type: r.type, data: r.data, occurredAt: r.occurred_at.toISOString(), actor: r.metadata.actor } as DomainEvent;
    const before = states.get(r.stream_id);
    const after = evolve(before, e);
    states.set(r.stream_id, after);
    const c = byCase.get(r.stream_id) ?? { state: after, last: e.occurredAt, releases: [] };
    c.state = after;
    if (e.type !== 'CaseErased') c.last = e.occurredAt;
    if (e.type === 'PhaseChanged' && e.data.to === 'frigiven' && before) c.releases.push({ at: e.data.at, before, after });
    byCase.set(r.stream_id, c);
  }
  return [...byCase.values()];
}

// ---- the plain reading ----------------------------------------------------------------------

const t = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
const now = NOW.getTime();
const IN_CUSTODY = ['hakte', 'anstalt', 'utslussning'];
const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
const tally = (keys: string[]) => keys.reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});

/** PostgreSQL's percentile_cont: linear between the two nearest ranks. */
function percentile(xs: number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const pos = p * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Midnight at the start of a Swedish calendar day, as an instant. */
function swedishMidnight(day: string): number {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Stockholm', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  }).formatToParts(new Date(guess)).map((p) => [p.type, p.value]));
  const wall = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`);
  return guess - (wall - guess);
}

const interventions = () => cases.flatMap((c) => c.state.interventions);
const daysToComplete = (i: CaseState['interventions'][number]) => (t(i.completedAt) - t(i.assignedAt)) / DAY;

/** Gaps as the read models keep them: open at the case's last event (projections.ts). */
function openGaps(c: Case) {
  return gapsAt(c.state, c.last).map((g) => {
    const i = c.state.interventions.find((x) => x.interventionId === g.interventionId);
    const f = c.state.followUps.find((x) => x.followUpId === g.followUpId);
    return { agency: i?.agencyId ?? f?.agencyId ?? c.state.coordinatorAgencyId, area: i?.area ?? 'case' };
  });
}

function upcoming(withinDays: number) {
  return cases.filter((c) => IN_CUSTODY.includes(c.state.phase) && t(c.state.expectedReleaseAt) >= now && t(c.state.expectedReleaseAt) <= now + withinDays * DAY);
}

function inPlace(cs: Case[]) {
  const has = (c: Case, areas: string[]) => c.state.interventions.some((i) => i.status === 'completed' && areas.includes(i.area));
  return {
    boende: cs.filter((c) => has(c, ['boende'])).length,
    behandling: cs.filter((c) => has(c, ['missbruk', 'psykisk_halsa'])).length,
    sysselsattning: cs.filter((c) => has(c, ['sysselsattning'])).length,
  };
}

const released = () => cases.filter((c) => c.state.releasedAt);
const latestRelease = (c: Case) => c.releases[c.releases.length - 1]!;

/** Any gap, of any kind, open at the moment of the latest release: just before it or opened by it. */
const gapAtRelease = (c: Case) => {
  const r = latestRelease(c);
  return gapsAt(r.before, r.at).length + gapsAt(r.after, r.at).length > 0;
};
const meetingsBefore = (c: Case) => c.state.meetings.filter((m) => t(m.at) <= t(c.state.releasedAt)).length;
const contactBefore = (c: Case) =>
  meetingsBefore(c) > 0 || c.state.interventions.some((i) => i.status === 'completed' && t(i.completedAt) <= t(c.state.releasedAt));

function reoffence(within: (at: number) => number, cutoff: number) {
  const rel = cases.flatMap((c) => c.state.outcomes.filter((o) => o.kind === 'released').map((r) => {
    const remands = c.state.outcomes.filter((o) => o.kind === 'new_remand' && t(o.at) > t(r.at)).map((o) => t(o.at));
    return { at: t(r.at), remand: remands.length ? Math.min(...remands) : null };
  })).filter((r) => r.at <= cutoff);
  const again = rel.filter((r) => r.remand !== null && r.remand <= within(r.at)).length;
  return { released: rel.length, newRemand: again, share: ratio(again, rel.length) };
}
const plusYear = (at: number) => {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.getTime();
};

function completion(period: FiguresPeriod, key: (i: CaseState['interventions'][number]) => string | null) {
  const lo = swedishMidnight(period.from);
  const hi = swedishMidnight(addDays(period.to, 1));
  const all = interventions().filter((i) => key(i) !== null);
  const done = all.filter((i) => i.status === 'completed' && t(i.completedAt) >= lo && t(i.completedAt) < hi);
  const due = all.filter((i) => i.dueAt && t(i.dueAt) >= lo && t(i.dueAt) < hi && !['declined', 'waived', 'cancelled'].includes(i.status)
    && (t(i.dueAt) <= now || i.status === 'completed'));
  const keys = [...new Set([...done, ...due].map((i) => key(i)!))].sort();
  return keys.map((k) => {
    const timed = done.filter((i) => key(i) === k && i.assignedAt).map(daysToComplete);
    const d = due.filter((i) => key(i) === k);
    const onTime = d.filter((i) => i.status === 'completed' && t(i.completedAt) <= t(i.dueAt)).length;
    return {
      key: k, completed: done.filter((i) => key(i) === k).length, medianDays: percentile(timed, 0.5), p90Days: percentile(timed, 0.9),
      due: d.length, onTime, onTimeShare: ratio(onTime, d.length),
    };
  });
}

/** Figures rounded so that float sums in another order compare equal. */
function rounded(x: unknown): unknown {
  if (typeof x === 'number') return Math.round(x * 1e9) / 1e9;
  if (Array.isArray(x)) return x.map(rounded);
  if (x && typeof x === 'object') return Object.fromEntries(Object.entries(x).map(([k, v]) => [k, rounded(v)]));
  return x;
}

// ---- the checks -----------------------------------------------------------------------------

test('the log has every situation the figures tell apart', () => {
  const rel = released();
  // Releases 100 days back, releases ahead within 12 and within 24 weeks, follow-ups done early.
  expect(rel.filter((c) => t(c.state.releasedAt) <= now - 100 * DAY).length).toBeGreaterThan(10);
  expect(upcoming(84).length).toBeGreaterThan(3);
  expect(upcoming(168).length).toBeGreaterThan(upcoming(84).length);
  const early = cases.flatMap((c) => c.state.followUps).filter((f) => f.status === 'completed' && t(f.dueAt) > now);
  expect(early.length).toBeGreaterThan(0);
  // Gaps at release that are not "released with a gap", and meetings after release.
  const levelThree = (c: Case) => c.state.alerts.some((a) => a.kind === 'released_with_gap');
  expect(rel.filter((c) => gapAtRelease(c) && !levelThree(c)).length).toBeGreaterThan(0);
  expect(rel.filter((c) => c.state.meetings.length > meetingsBefore(c)).length).toBeGreaterThan(0);
  // Clients with no contact before release, some of them met after it.
  expect(rel.filter((c) => !contactBefore(c)).length).toBeGreaterThan(0);
  expect(rel.filter((c) => !contactBefore(c) && c.state.meetings.length > 0).length).toBeGreaterThan(0);
  expect(rel.filter((c) => !gapAtRelease(c)).length).toBeGreaterThan(0);
});

test('cases by phase, upcoming releases and what is in place for them', () => {
  expect(figures.casesByPhase).toEqual(tally(cases.map((c) => c.state.phase)));
  const noGap = (cs: Case[]) => cs.filter((c) => openGaps(c).length === 0).length;
  expect({
    releasesWithin12Weeks: figures.releasesWithin12Weeks,
    releasesWithin12WeeksWithoutGap: figures.releasesWithin12WeeksWithoutGap,
    releasesWithin12WeeksInPlace: figures.releasesWithin12WeeksInPlace,
    releasesWithin24Weeks: figures.releasesWithin24Weeks,
    releasesWithin24WeeksWithoutGap: figures.releasesWithin24WeeksWithoutGap,
    releasesWithin24WeeksInPlace: figures.releasesWithin24WeeksInPlace,
  }).toEqual({
    releasesWithin12Weeks: upcoming(84).length,
    releasesWithin12WeeksWithoutGap: noGap(upcoming(84)),
    releasesWithin12WeeksInPlace: inPlace(upcoming(84)),
    releasesWithin24Weeks: upcoming(168).length,
    releasesWithin24WeeksWithoutGap: noGap(upcoming(168)),
    releasesWithin24WeeksInPlace: inPlace(upcoming(168)),
  });
  expect(Object.values(figures.releasesWithin24WeeksInPlace).some((n) => n > 0)).toBe(true);
});

test('open gaps by agency and by area, and the median time to complete per agency', () => {
  const gaps = cases.flatMap(openGaps);
  expect(gaps.length).toBeGreaterThan(0);
  expect(figures.openGapsByAgency).toEqual(tally(gaps.map((g) => g.agency)));
  expect(figures.openGapsByArea).toEqual(tally(gaps.map((g) => g.area)));
  const timed = interventions().filter((i) => i.status === 'completed' && i.agencyId && i.assignedAt);
  const agencies = [...new Set(timed.map((i) => i.agencyId!))];
  expect(rounded(figures.medianDaysToCompleteByAgency)).toEqual(rounded(Object.fromEntries(
    agencies.map((a) => [a, percentile(timed.filter((i) => i.agencyId === a).map(daysToComplete), 0.5)]))));
});

test('releases: with no gap of any kind at the moment of release, without contact before it, meetings before it', () => {
  const rel = released();
  expect(rounded({
    shareOfReleasesWithoutGap: figures.shareOfReleasesWithoutGap,
    shareReleasedWithoutExternalContact: figures.shareReleasedWithoutExternalContact,
    coordinationMeetingsBeforeReleasePerReleasedClient: figures.coordinationMeetingsBeforeReleasePerReleasedClient,
  })).toEqual(rounded({
    shareOfReleasesWithoutGap: ratio(rel.filter((c) => !gapAtRelease(c)).length, rel.length),
    shareReleasedWithoutExternalContact: ratio(rel.filter((c) => !contactBefore(c)).length, rel.length),
    coordinationMeetingsBeforeReleasePerReleasedClient: mean(rel.map(meetingsBefore)),
  }));
  expect(figures.shareOfReleasesWithoutGap).toBeGreaterThan(0);
  expect(figures.shareOfReleasesWithoutGap).toBeLessThan(1);
});

test('meetings per case not closed and per case not yet released', () => {
  expect(rounded({ open: figures.coordinationMeetingsPerOpenCase, custody: figures.coordinationMeetingsPerCaseNotYetReleased })).toEqual(rounded({
    open: mean(cases.filter((c) => c.state.phase !== 'avslutad').map((c) => c.state.meetings.length)),
    custody: mean(cases.filter((c) => IN_CUSTODY.includes(c.state.phase)).map((c) => c.state.meetings.length)),
  }));
});

test('follow-ups on time: a follow-up counts once it is due or done, so the share never exceeds 1', () => {
  const counted = cases.flatMap((c) => c.state.followUps).filter((f) => f.status !== 'cancelled' && (t(f.dueAt) <= now || f.status === 'completed'));
  const onTime = counted.filter((f) => f.status === 'completed' && t(f.completedAt) <= t(f.dueAt)).length;
  expect(figures.followUpsOnTime).toEqual({ due: counted.length, onTime, share: ratio(onTime, counted.length) });
  expect(figures.followUpsOnTime.share!).toBeLessThanOrEqual(1);
  expect(figures.followUpsOnTime.due).toBeGreaterThan(0);
});

test('new remand within 100 days and within a year of release', () => {
  expect(figures.reoffence).toEqual({
    within100Days: reoffence((at) => at + 100 * DAY, now - 100 * DAY),
    within1Year: reoffence(plusYear, new Date(NOW).setUTCFullYear(NOW.getUTCFullYear() - 1)),
  });
  expect(figures.reoffence.within100Days.released).toBeGreaterThan(0);
});

test('per agency and per area over a quarter: days to complete (median, 90th percentile) and share done by the due time', () => {
  expect(figures.completion.period).toEqual(QUARTER);
  const byAgency = completion(QUARTER, (i) => i.agencyId).map(({ key, ...r }) => ({ agencyId: key, ...r }));
  const byArea = completion(QUARTER, (i) => i.area).map(({ key, ...r }) => ({ area: key, ...r }));
  expect(rounded(figures.completion.byAgency)).toEqual(rounded(byAgency));
  expect(rounded(figures.completion.byArea)).toEqual(rounded(byArea));
  expect(byAgency.length).toBeGreaterThan(2);
  expect(byAgency.some((r) => r.onTime > 0 && r.onTime < r.due)).toBe(true);
});

test('the default period is the last 90 days up to today, and a period with nothing in it is empty', async () => {
  const period = figuresPeriod({}, NOW);
  expect(period).toEqual({ from: addDays(swedishDay(NOW), -89), to: swedishDay(NOW) });
  const recent = await metricsSummary(db.pool, { now: NOW, period });
  const byAgency = completion(period, (i) => i.agencyId).map(({ key, ...r }) => ({ agencyId: key, ...r }));
  expect(rounded(recent.completion.byAgency)).toEqual(rounded(byAgency));
  const before = await metricsSummary(db.pool, { now: NOW, period: { from: '2001-01-01', to: '2001-03-31' } });
  expect(before.completion).toEqual({ period: { from: '2001-01-01', to: '2001-03-31' }, byAgency: [], byArea: [] });
});
