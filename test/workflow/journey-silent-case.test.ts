import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { dataConverterFor } from '../../config/payload-codec';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { wakeRunningCases } from '../../scripts/wake-cases';
import { createTestDatabase } from '../../dev/database';
import { eventually } from '../../dev/eventually';
import { fastPolicy, openCommand, request } from '../../dev/fixtures';
import { freePort } from '../../scripts/free-port';
import { appendWaiting, holdAppends } from '../../dev/hold-appends';
import { startTestStack, type TestStack } from '../../dev/stack';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';
import { alertsOf, eventsAfter, expectContiguous, expectNoDuplicateAlerts, typesOf } from './event-log';
import { sleepUntil } from '../../dev/eventually';

/**
 * Issue 13: a case whose schedule step is still being recorded when a deadline passes (the
 * event log slow, or the worker and the server stopped mid-step) must handle that deadline as
 * soon as the step is recorded, never sleep past it.
 */

/** Housing due at `dueAt`, the only moment near: its reminder `reminderSeconds` before, level 2 an hour later, release an hour after. */
function openWithDeadline(dueAt: number, opts: { reminderSeconds?: number; level2After?: string } = {}) {
  const policy = fastPolicy({
    requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT1H', title: 'Bostad ordnad' }],
    reminders: opts.reminderSeconds ? [`PT${opts.reminderSeconds}S`] : [],
    escalation: { level2After: opts.level2After ?? 'PT1H' },
  });
  const open = openCommand({ releaseInSeconds: (dueAt - Date.now()) / 1000 + 3600, policy });
  return { ...open, responsibility: { successorAgencyId: 'frv-gbg' } };
}

const report = (line: string) => process.stderr.write(`[issue 13] ${line}\n`);
const overdue = async (pool: TestStack['pool'], caseId: string, level: number) =>
  (await alertsOf(pool, caseId)).filter((a) => a.kind === 'intervention_overdue' && a.level === level);

describe('a stopped worker and server mid-step (the reported case)', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: DevServer | undefined;
  let worker: WorkerProcess | undefined;
  const connections: Connection[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'silent-case-'));
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await worker?.kill();
    for (const c of connections) await c.close().catch(() => undefined);
    await server?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a deadline that passed while the server and worker were down mid-step is alerted within seconds of the restart, once', async () => {
    const cli = resolveTemporalCli();
    const port = await freePort();
    const dbFile = path.join(dir, 'temporal.db');
    const taskQueue = 'silent-case';
    const up = async () => {
      server = await startDevServer({ cli, port, dbFile });
      worker = await startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue });
      const connection = await Connection.connect({ address: server.address });
      connections.push(connection);
      return new JourneyClient(new Client({ connection, dataConverter: dataConverterFor(process.env.PAYLOAD_KEYS) }), taskQueue, readCaseFrom(db.pool));
    };
    const journeys = await up();

    const t0 = Date.now();
    const dueAt = t0 + 8_000;
    // Its reminder falls due at +2 s: that is the schedule step that will be in flight.
    const open = openWithDeadline(dueAt, { reminderSeconds: 6 });
    await journeys.open(open.caseId, request(open));
    await sleepUntil(t0 + 1_000);
    const held = await holdAppends(db.pool);
    try {
      await eventually(async () => expect(await appendWaiting(db.pool)).toBe(true), 5_000, 50);
      // The step is in flight: the worker and the server die.
      await worker!.kill();
      await server!.kill();
      await sleepUntil(dueAt + 1_500);
    } finally {
      await held.release();
    }
    expect(await overdue(db.pool, open.caseId, 1)).toEqual([]);
    const restartedAt = Date.now();
    await up();

    const [alert] = await eventually(async () => {
      const rows = await overdue(db.pool, open.caseId, 1);
      expect(rows).toHaveLength(1);
      return rows;
    }, 40_000);
    const afterRestart = alert!.raised_at.getTime() - restartedAt;
    report(`restart mid-step: deadline passed ${((restartedAt - dueAt) / 1000).toFixed(1)} s before the restart; level-1 alert raised ${(afterRestart / 1000).toFixed(1)} s after it`);
    expect(alert!.raised_at.getTime()).toBeGreaterThanOrEqual(dueAt);
    // The reminder's activity is retried when its 10 s timeout runs out on the restarted server:
    // under 20 s on a quiet machine (the bound until now), 26–35 s seen with the suite and a
    // benchmark sharing two cores.
    // Before the fix it was never raised at all.
    expect(afterRestart).toBeLessThan(40_000);
    // Once: a little later nothing more has been raised or sent.
    await new Promise((r) => setTimeout(r, 1_500));
    const events = await eventsAfter(db.pool, open.caseId);
    expectContiguous(events);
    expectNoDuplicateAlerts(events);
    expect(typesOf(events).filter((t) => t === 'ReminderSent')).toHaveLength(1);
    expect(await overdue(db.pool, open.caseId, 1)).toHaveLength(1);
  }, 120_000);
});

describe('on the shared dev server', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('a burst: 200 cases with two deadlines 100 ms apart while the log is held; every alert once, none late beyond the hold', async () => {
    const CASES = 200;
    // The openings must all be in before the first deadline. 200 take 8–14 s on a quiet 2-core
    // machine and 70 s were seen in CI beside other suites, so the budget is measured, not
    // guessed: 20 openings with distant deadlines first, then three times the rate they show.
    const warmStart = Date.now();
    await Promise.all(Array.from({ length: 20 }, () => openWithDeadline(Date.now() + 7_200_000)).map((open) => stack.journeys.open(open.caseId, request(open))));
    const budget = Math.min(150_000, Math.max(20_000, 3 * (CASES / 20) * (Date.now() - warmStart)));
    report(`burst: 20 openings took ${Date.now() - warmStart} ms; the 200 get ${budget} ms`);
    const tBase = Date.now() + budget;
    // Level 1 at due, level 2 100 ms later; the dues spread over two seconds.
    const cases = Array.from({ length: CASES }, (_, k) => {
      const dueAt = tBase + k * 10;
      return { dueAt, open: openWithDeadline(dueAt, { level2After: 'PT0.1S' }) };
    });
    for (let k = 0; k < CASES; k += 20) {
      await Promise.all(cases.slice(k, k + 20).map(({ open }) => stack.journeys.open(open.caseId, request(open))));
    }
    const setUp = Date.now() - (tBase - budget);
    expect({ setUp, budget, inTime: Date.now() < tBase - 1_000 }).toEqual({ setUp, budget, inTime: true });
    await sleepUntil(tBase - 500);
    const heldFrom = Date.now();
    const held = await holdAppends(stack.pool);
    await sleepUntil(tBase + 3_500);
    await held.release();
    const releasedAt = Date.now();
    const heldMs = releasedAt - heldFrom;

    // Watched as a supervisor's list would show them: when each alert first appears.
    const seen = new Map<string, { caseId: string; level: number; at: number }>();
    await eventually(async () => {
      const res = await stack.pool.query<{ alert_id: string; case_id: string; level: number }>(
        `SELECT alert_id, case_id, level FROM alerts WHERE kind = 'intervention_overdue' AND case_id = ANY($1)`,
        [cases.map((c) => c.open.caseId)],
      );
      const at = Date.now();
      for (const r of res.rows) if (!seen.has(r.alert_id)) seen.set(r.alert_id, { caseId: r.case_id, level: r.level, at });
      expect(seen.size).toBeGreaterThanOrEqual(2 * CASES);
    }, 40_000, 50);
    const rows = [...seen.values()];
    const due = new Map(cases.map((c) => [c.open.caseId, c.dueAt]));
    const lateness = rows.map((r) => r.at - (due.get(r.caseId)! + (r.level === 2 ? 100 : 0))).sort((a, b) => a - b);
    const pct = (q: number) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))]!;
    report(`burst: ${rows.length} alerts for ${CASES} cases, log held ${heldMs} ms; visible after the deadline p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, max ${lateness.at(-1)} ms, min ${lateness[0]} ms; last visible ${Math.max(...rows.map((r) => r.at)) - releasedAt} ms after the release`);
    // Each case: exactly one level 1 and one level 2.
    expect(rows).toHaveLength(2 * CASES);
    for (const c of cases) expect(rows.filter((r) => r.caseId === c.open.caseId).map((r) => r.level).sort()).toEqual([1, 2]);
    for (const l of lateness) expect(l).toBeGreaterThanOrEqual(0);
    // The hold, plus the time the log needs to write what queued behind it (400 appends, in
    // parallel since issue 20, on two cores shared with the rest of npm test); allow a floor of
    // 20 appends a second, the bound from when they were serialised. Before the fix the level-2 alerts were not raised at all
    // (for an hour).
    expect(lateness.at(-1)!).toBeLessThanOrEqual(heldMs + (2 * CASES * 1000) / 20);
    // When each alert was decided (raised_at, the schedule's clock): within the hold.
    const decided = await stack.pool.query<{ case_id: string; level: number; raised_at: Date }>(
      `SELECT case_id, level, raised_at FROM alerts WHERE kind = 'intervention_overdue' AND case_id = ANY($1)`,
      [cases.map((c) => c.open.caseId)],
    );
    const decidedLate = decided.rows.map((r) => r.raised_at.getTime() - (due.get(r.case_id)! + (r.level === 2 ? 100 : 0)));
    report(`burst: decided (raised_at) after the deadline: max ${Math.max(...decidedLate)} ms`);
    for (const c of cases.slice(0, 10)) expectNoDuplicateAlerts(await eventsAfter(stack.pool, c.open.caseId));
  }, 300_000);

  test('a case that went silent before the fix is woken by npm run cases:wake after the upgrade, and alerted once', async () => {
    // The code as it ran before the fix: the same worker with the schedule-never-skips patch held back.
    await stack.stopWorker();
    await stack.startWorker({ patchActivationCallback: ({ patchId }) => patchId !== 'schedule-never-skips' });
    /**
     * A case whose reminder's append is held in the log past its deadline. On a busy machine the
     * reminder's step may run before the hold is in place (or the hold may catch another case's
     * append), or only after the deadline: then this setup did not take, which says nothing about
     * the code, and it is played again with a new case.
     */
    const silentCase = async () => {
      const t0 = Date.now();
      const dueAt = t0 + 6_000;
      const open = openWithDeadline(dueAt, { reminderSeconds: 4 });
      await stack.journeys.open(open.caseId, request(open));
      await sleepUntil(t0 + 1_000);
      const held = await holdAppends(stack.pool);
      let recordedBeforeRelease: boolean;
      try {
        await eventually(async () => expect(await appendWaiting(stack.pool)).toBe(true), 5_000, 50);
        await sleepUntil(dueAt + 1_000);
        // Still held past the deadline: the reminder is not in the log yet.
        recordedBeforeRelease = typesOf(await eventsAfter(stack.pool, open.caseId)).includes('ReminderSent');
      } finally {
        await held.release();
      }
      // The held step lands once released. On a very busy machine the reminder's timer may fire
      // only after the deadline: that step then records the alert instead of the reminder, and
      // the case never went silent (the setup did not take either).
      await eventually(async () => {
        const types = typesOf(await eventsAfter(stack.pool, open.caseId));
        expect(types.includes('ReminderSent') || types.includes('AlertRaised')).toBe(true);
      });
      await sleepUntil(dueAt + 4_000);
      const types = typesOf(await eventsAfter(stack.pool, open.caseId));
      return { open, held: !recordedBeforeRelease && types.includes('ReminderSent') && !types.includes('AlertRaised') };
    };
    let attempt = await silentCase();
    for (let k = 1; k < 3 && !attempt.held; k++) {
      report('silent case: the reminder was not held past its deadline (the hold came too late, or the step after it); played again');
      attempt = await silentCase();
    }
    expect(attempt.held).toBe(true);
    const { open } = attempt;
    // Silent: the deadline passed while its step was being recorded, and nothing was raised.
    expect(await overdue(stack.pool, open.caseId, 1)).toEqual([]);

    // Upgrade: the fixed worker takes over; nothing wakes the case by itself.
    await stack.stopWorker();
    await stack.startWorker();
    await new Promise((r) => setTimeout(r, 3_000));
    expect(await overdue(stack.pool, open.caseId, 1)).toEqual([]);

    const wokenAt = Date.now();
    const { woken } = await eventually(async () => {
      const r = await wakeRunningCases(stack.client, { taskQueue: stack.taskQueue });
      expect(r.woken).toBeGreaterThanOrEqual(1);
      return r;
    });
    const [alert] = await eventually(async () => {
      const rows = await overdue(stack.pool, open.caseId, 1);
      expect(rows).toHaveLength(1);
      return rows;
    }, 15_000);
    report(`wake: ${woken} running case(s) signalled; the silent case's alert raised ${alert!.raised_at.getTime() - wokenAt} ms after the script started`);
    // Waking again is harmless: nothing is raised twice.
    await wakeRunningCases(stack.client, { taskQueue: stack.taskQueue });
    await new Promise((r) => setTimeout(r, 1_500));
    const events = await eventsAfter(stack.pool, open.caseId);
    expectContiguous(events);
    expectNoDuplicateAlerts(events);
    expect(await overdue(stack.pool, open.caseId, 1)).toHaveLength(1);
  }, 90_000);
});
