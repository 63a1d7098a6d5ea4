import { randomUUID } from 'node:crypto';
import { caseWorkflowId } from '../workflows/messages';
import { fastPolicy, openCommand, request } from '../dev/fixtures';
import { startStandaloneStack } from '../dev/standalone-stack';
import type { TestStack } from '../dev/stack';
import { fullCase } from '../dev/histories/history-scenarios';
import { runMain } from './run-main';

/**
 * How late do alerts come when many fall due at once? Opens N cases (default 100) whose housing
 * intervention falls due within the same ~10 s, waits for every level-1 alert (at the due moment)
 * and level-2 alert (3 s later), and reads from PostgreSQL:
 *   raised   = alerts.raised_at − due moment (the workflow's clock when it decided: timer latency)
 *   recorded = events.recorded_at − due moment (when the row was committed: what a reader sees)
 * Then plays the representative full case of the replay fixtures once and counts its history.
 * Starts its own Temporal dev server and PostgreSQL, like the tests; one worker, default options.
 *
 *   npx tsx scripts/measure-alert-lateness.ts [cases=100] [spreadSeconds=10]
 */
const CASES = Number(process.argv[2] ?? 100);
const SPREAD_S = Number(process.argv[3] ?? 10);
/** Housing is due this long before release in the fast test policy. */
const DUE_BEFORE_RELEASE_S = 20;
const LEVEL2_AFTER_S = 3;

const say = (line: string) => console.log(line);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function describe(label: string, values: number[]): string {
  const s = [...values].sort((a, b) => a - b);
  return `${label.padEnd(22)} n=${String(s.length).padStart(3)}  p50=${percentile(s, 0.5).toFixed(0).padStart(5)} ms  ` +
    `p99=${percentile(s, 0.99).toFixed(0).padStart(5)} ms  max=${(s.at(-1) ?? NaN).toFixed(0).padStart(5)} ms  min=${(s[0] ?? NaN).toFixed(0)} ms`;
}

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

async function measureLateness(stack: TestStack): Promise<void> {
  const policy = fastPolicy();
  // Room to open every case before the first due moment.
  const firstDue = Date.now() + 15_000 + CASES * 40;
  const cases = Array.from({ length: CASES }, (_, k) => {
    const dueAt = firstDue + Math.round((k * SPREAD_S * 1000) / CASES);
    const open = { ...openCommand({ policy }), expectedReleaseAt: new Date(dueAt + DUE_BEFORE_RELEASE_S * 1000).toISOString() };
    return { caseId: open.caseId, open, dueAt };
  });
  const opening = Date.now();
  await inBatches(cases, 20, (c) => stack.journeys.open(c.caseId, request({ ...c.open, responsibility: { successorAgencyId: 'frv-gbg' } })));
  say(`opened ${CASES} cases in ${((Date.now() - opening) / 1000).toFixed(1)} s; due moments spread over ${SPREAD_S} s, ` +
    `first in ${((firstDue - Date.now()) / 1000).toFixed(1)} s`);
  if (Date.now() > firstDue) throw new Error('opening took longer than the head start: raise it');

  const deadline = firstDue + (SPREAD_S + LEVEL2_AFTER_S + 60) * 1000;
  for (;;) {
    const res = await stack.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM alerts WHERE kind = 'intervention_overdue'`);
    if (res.rows[0]!.n >= 2 * CASES) break;
    if (Date.now() > deadline) throw new Error(`only ${res.rows[0]!.n} of ${2 * CASES} alerts after the deadline`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const rows = await stack.pool.query<{ level: number; since: Date; raised_at: Date; recorded_at: Date }>(
    `SELECT a.level, a.since, a.raised_at, e.recorded_at
       FROM alerts a JOIN events e ON e.stream_id = a.case_id AND e.type = 'AlertRaised' AND e.data->>'alertId' = a.alert_id
      WHERE a.kind = 'intervention_overdue'`,
  );
  const dueOf = (r: { level: number; since: Date }) => r.since.getTime() + (r.level === 2 ? LEVEL2_AFTER_S * 1000 : 0);
  // Sanity: `since` is each case's own due moment.
  const dues = new Set(cases.map((c) => c.dueAt));
  const unknown = rows.rows.filter((r) => r.level === 1 && !dues.has(r.since.getTime()));
  if (unknown.length > 0) throw new Error(`${unknown.length} alerts with an unexpected due moment`);

  for (const level of [1, 2]) {
    const of = rows.rows.filter((r) => r.level === level);
    say(describe(`level ${level} raised`, of.map((r) => r.raised_at.getTime() - dueOf(r))));
    say(describe(`level ${level} recorded`, of.map((r) => r.recorded_at.getTime() - dueOf(r))));
  }
  say(describe('all raised', rows.rows.map((r) => r.raised_at.getTime() - dueOf(r))));
  say(describe('all recorded', rows.rows.map((r) => r.recorded_at.getTime() - dueOf(r))));
  const early = rows.rows.filter((r) => r.raised_at.getTime() < dueOf(r));
  say(`raised before their due moment: ${early.length}`);
}

async function measureHistory(stack: TestStack): Promise<void> {
  const caseId = `measure-${randomUUID()}`;
  await fullCase.play(stack, caseId);
  const history = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory();
  const events = await stack.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [caseId]);
  say(`full case (${fullCase.story}): ${history.events?.length ?? 0} history events, ${events.rows[0]!.n} domain events`);
}

async function main(): Promise<void> {
  const stack = await startStandaloneStack();
  try {
    await measureLateness(stack);
    await measureHistory(stack);
  } finally {
    await stack.close();
  }
}

runMain(main);
