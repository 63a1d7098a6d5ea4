import { fork } from 'node:child_process';
import { Pool } from 'pg';
import { recordReads } from '../store/audit-log';
import { PAGE_LIMIT_DEFAULT } from '../api/schemas/page';
import { OPEN_INBOX_TASK_STATUSES } from '../domain/open-statuses';
import { listTasks } from '../store/read-models';
import type { BenchContext } from './context';
import type { ProbeRequest } from './latency-probe-child';
import { startProfile } from './profile';
import { progress, say } from './progress';
import { round, summarize } from './stats';
import { seedOpenCases } from './seed';

/**
 * Phase 3, read latency with a realistic amount of data: 10,000 open cases with 50,000 tasks
 * (seeded straight into the log and read models, see bench/seed.ts), then one agency's inbox
 * (GET /v1/tasks, the agency holding the most open tasks), one supervisor's alerts (GET
 * /v1/alerts, the agency with the most open alerts) and a bare `SELECT 1` on the API's pool,
 * round-robin, one request at a time, over HTTP to the API in this process. Side by side, the
 * cost of logging the reads (issue 14): the inbox's query alone, and the same query followed by
 * the audit write the API makes for that page (one row per case shown, one statement). Pages are
 * the API's default size (PAGE_LIMIT_DEFAULT, fetched with one more row to know whether more follow).
 */

export interface ApiLatencyResult {
  inbox: { p50Ms: number; p99Ms: number };
  /** The same inbox and a bare `SELECT 1`, asked from another process (bench/latency-probe-child.ts). */
  inboxFromAnotherProcess: { p50Ms: number; p99Ms: number };
  selectOneFromAnotherProcess: { p50Ms: number; p99Ms: number };
  /** The inbox's page from PostgreSQL without and with the audit write of that page. */
  inboxQuery: { p50Ms: number; p99Ms: number };
  inboxQueryAudited: { p50Ms: number; p99Ms: number };
  alerts: { p50Ms: number; p99Ms: number };
  selectOne: { p50Ms: number; p99Ms: number };
}

export async function apiLatencyPhase(ctx: BenchContext): Promise<ApiLatencyResult> {
  const { stack } = ctx;
  const cases = ctx.quick ? 1000 : 10_000;
  const requests = ctx.quick ? 200 : 1000;
  // Seeding is set-up, not measurement: its own pool, without waiting for each commit's WAL flush
  // (synchronous_commit=off changes durability on a crash, nothing about what is written).
  const seedPool = new Pool({ connectionString: stack.databaseUrl, max: 8, application_name: 'bench-seed', options: '-c synchronous_commit=off' });
  const seeded = await seedOpenCases(seedPool, cases).finally(() => seedPool.end());
  say(`apiLatency: seeded ${seeded.cases} open cases, ${seeded.tasks} tasks, ${seeded.events} events in ${seeded.appends} appends ` +
    `(${seeded.seconds.toFixed(1)} s, ${(seeded.appends / seeded.seconds).toFixed(0)} appends/s) through appendToStream + projectEvents, not Temporal`);
  await stack.pool.query('ANALYZE');

  const inboxAgency = await stack.pool.query<{ agency_id: string; n: number }>(
    `SELECT agency_id, count(*)::int AS n FROM tasks WHERE status = ANY($1)
      GROUP BY agency_id ORDER BY n DESC LIMIT 1`,
    [[...OPEN_INBOX_TASK_STATUSES]],
  );
  const alertAgency = await stack.pool.query<{ agency_id: string; n: number }>(
    `SELECT agency_id, count(*)::int AS n FROM alerts WHERE status = 'open' GROUP BY agency_id ORDER BY n DESC LIMIT 1`,
  );
  const totals = await stack.pool.query<{ tasks: number; cases: number; alerts: number }>(
    `SELECT (SELECT count(*) FROM tasks)::int AS tasks, (SELECT count(*) FROM case_summaries WHERE phase <> 'avslutad')::int AS cases,
            (SELECT count(*) FROM alerts WHERE status = 'open')::int AS alerts`,
  );
  const inbox = inboxAgency.rows[0]!;
  const alerts = alertAgency.rows[0] ?? { agency_id: 'kvv-gbg', n: 0 };
  const agencyToken = await stack.token({ sub: 'bench-officer', role: 'agency', agencyId: inbox.agency_id });
  const supervisorToken = await stack.token({ sub: 'bench-supervisor', role: 'supervisor', agencyId: alerts.agency_id });

  let inboxItems = 0;
  let alertItems = 0;
  const get = async (path: string, token: string): Promise<number> => {
    const res = await fetch(`${stack.api.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items?: unknown[] };
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body.items?.length ?? 0;
  };
  const probes = {
    inbox: async () => {
      inboxItems = await get('/v1/tasks', agencyToken);
    },
    alerts: async () => {
      alertItems = await get('/v1/alerts', supervisorToken);
    },
    selectOne: async () => {
      await stack.pool.query('SELECT 1');
    },
    inboxQuery: async () => {
      await listTasks(stack.pool, inbox.agency_id, 'open', PAGE_LIMIT_DEFAULT + 1);
    },
    inboxQueryAudited: async () => {
      const page = (await listTasks(stack.pool, inbox.agency_id, 'open', PAGE_LIMIT_DEFAULT + 1)).slice(0, PAGE_LIMIT_DEFAULT);
      await recordReads(stack.pool, {
        userId: 'bench-officer', role: 'agency', agencyId: inbox.agency_id, caseIds: [...new Set(page.map((t) => t.caseId))],
        route: '/v1/tasks', method: 'GET', status: 200, what: 'tasks',
      });
    },
  };
  const samples: Record<keyof typeof probes, number[]> = { inbox: [], alerts: [], selectOne: [], inboxQuery: [], inboxQueryAudited: [] };
  for (let i = 0; i < 30; i++) for (const p of Object.values(probes)) await p();

  const profile = startProfile(ctx.profileTargets(), { databaseUrl: stack.databaseUrl });
  const perRound = Object.keys(probes).length;
  const bar = progress('apiLatency: requests', requests * perRound);
  for (let i = 0; i < requests; i++) {
    for (const [name, p] of Object.entries(probes) as [keyof typeof probes, () => Promise<void>][]) {
      const t = performance.now();
      await p();
      samples[name].push(performance.now() - t);
    }
    bar.tick(perRound);
  }
  bar.done();

  // The same inbox with the load generated by another process, beside SELECT 1 asked the same way.
  say('apiLatency: the inbox and SELECT 1 from another process');
  const remote = await probeFromAnotherProcess({
    probes: [
      { kind: 'http', name: 'inbox', url: `${stack.api.url}/v1/tasks`, token: agencyToken },
      { kind: 'sql', name: 'selectOne', databaseUrl: stack.databaseUrl },
    ],
    rounds: requests,
    warmup: 30,
  });
  ctx.profile('apiLatency', await profile.stop());

  const s = {
    inbox: summarize(samples.inbox), alerts: summarize(samples.alerts), selectOne: summarize(samples.selectOne),
    inboxQuery: summarize(samples.inboxQuery), inboxQueryAudited: summarize(samples.inboxQueryAudited),
  };
  const t = totals.rows[0]!;
  ctx.detail('apiLatency', {
    seeded: { ...seeded, seconds: round(seeded.seconds, 1), via: 'appendToStream + projectEvents with domain decide/dueActions events, synchronous_commit=off for the seeding connections only; no Temporal workflows' },
    readModels: { openCases: t.cases, tasks: t.tasks, openAlerts: t.alerts },
    inbox: { agencyId: inbox.agency_id, openTasks: inbox.n, itemsReturned: inboxItems, ...s.inbox },
    alerts: { agencyId: alerts.agency_id, openAlerts: alerts.n, itemsReturned: alertItems, ...s.alerts },
    selectOne: s.selectOne,
    auditCost: { inboxQuery: s.inboxQuery, inboxQueryAudited: s.inboxQueryAudited, casesLoggedPerPage: new Set((await listTasks(stack.pool, inbox.agency_id, 'open', PAGE_LIMIT_DEFAULT)).map((x) => x.caseId)).size },
    ratioToSelectOne: {
      inboxP50: round(s.inbox.p50Ms / s.selectOne.p50Ms, 1), inboxP99: round(s.inbox.p99Ms / s.selectOne.p99Ms, 1),
      alertsP50: round(s.alerts.p50Ms / s.selectOne.p50Ms, 1), alertsP99: round(s.alerts.p99Ms / s.selectOne.p99Ms, 1),
    },
    requestsEach: requests,
  });
  ctx.note('apiLatency', `${seeded.cases.toLocaleString('en')} open cases and ${seeded.tasks.toLocaleString('en')} tasks seeded through ` +
    `appendToStream + projectEvents (events from domain decide/dueActions), not through Temporal. Inbox of ${inbox.agency_id} ` +
    `(${inbox.n.toLocaleString('en')} open tasks, ${inboxItems} returned), alerts of ${alerts.agency_id} (${alerts.n.toLocaleString('en')} open, ` +
    `${alertItems} returned); ${requests} requests each, one at a time, HTTP to the API in this process. ` +
    `p50 vs SELECT 1: inbox ×${round(s.inbox.p50Ms / s.selectOne.p50Ms, 1)}, alerts ×${round(s.alerts.p50Ms / s.selectOne.p50Ms, 1)}.`);
  const pick = (x: { p50Ms: number; p99Ms: number }) => ({ p50Ms: round(x.p50Ms, 2), p99Ms: round(x.p99Ms, 2) });
  return {
    inbox: pick(s.inbox), alerts: pick(s.alerts), selectOne: pick(s.selectOne),
    inboxFromAnotherProcess: pick(summarize(remote.inbox!)), selectOneFromAnotherProcess: pick(summarize(remote.selectOne!)),
    inboxQuery: pick(s.inboxQuery), inboxQueryAudited: pick(s.inboxQueryAudited),
  };
}

function probeFromAnotherProcess(req: ProbeRequest): Promise<Record<string, number[]>> {
  return new Promise((resolve, reject) => {
    const child = fork(require.resolve('./latency-probe-child'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m: { samples?: Record<string, number[]>; error?: string }) => (m.samples ? resolve(m.samples) : reject(new Error(m.error))));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`latency probe exited with ${code}`)));
    child.send(req);
  });
}
