import { Pool } from 'pg';
import { FIGURES_POOL_MAX } from '../api/figures-gate';
import { figuresPeriod } from '../domain/figures-period';
import { metricsSummary } from '../store/metrics-summary';
import { DAY, isoIn, type BenchContext } from './context';
import { metricsSummaryBefore } from './figures-before';
import { progress, say } from './progress';
import { seedReleasedCases } from './released-seed';
import { inPool, round, sleep, summarize } from './stats';

/**
 * Phase 7, the figures (GET /v1/metrics/summary) at 10,000 released cases (issue 16): their
 * rows written straight into the read models (bench/released-seed.ts), then
 * 1. the figures' queries timed in PostgreSQL, today's beside the queries as they were before
 *    (bench/figures-before.ts) and a bare SELECT 1, round-robin, in the same run;
 * 2. commands (PUT …/client-view, each a workflow update and its read-back) through the API
 *    in this process, timed alone, then again while 50 callers ask for the figures over and over:
 *    the figures have a pool of their own and one computation at a time (api/figures-gate.ts),
 *    so the commands' p99 should barely move.
 */

type P = { p50Ms: number; p99Ms: number };
export interface FiguresResult {
  releasedCases: number;
  query: P;
  queryBefore: P;
  selectOne: P;
  commands: P;
  commandsUnderFigures: P;
  summaryCalls: { n: number; p50Ms: number; p99Ms: number; unavailable: number };
}

const CONCURRENT_SUMMARY_CALLS = 50;
const COMMAND_LANES = 4;

export async function figuresPhase(ctx: BenchContext): Promise<FiguresResult> {
  const { stack } = ctx;
  const n = ctx.quick ? 1000 : 10_000;
  const runs = ctx.quick ? 5 : 20;
  const commandsEach = ctx.quick ? 40 : 200;
  const seedPool = new Pool({ connectionString: stack.databaseUrl, max: 2, application_name: 'bench-seed', options: '-c synchronous_commit=off' });
  const seeded = await seedReleasedCases(seedPool, n).finally(() => seedPool.end());
  say(`figures: seeded ${n.toLocaleString('en')} released cases in ${seeded.seconds.toFixed(1)} s`);

  // 1. The queries alone, in PostgreSQL, on the API's pool (nothing else runs).
  const samples = { query: [] as number[], queryBefore: [] as number[], selectOne: [] as number[] };
  const time = async (into: number[], fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    into.push(performance.now() - t);
  };
  const figures = () => metricsSummary(stack.pool, { now: new Date(), period: figuresPeriod({}, new Date()) });
  await figures();
  // The queries before take seconds each at this size: as many runs of them as fit in a minute (at least 3).
  await time(samples.queryBefore, () => metricsSummaryBefore(stack.pool));
  const runsBefore = Math.max(3, Math.min(runs, Math.floor(60_000 / samples.queryBefore[0]!)));
  const bar = progress('figures: queries', runs);
  for (let i = 0; i < runs; i++) {
    await time(samples.query, figures);
    if (i > 0 && i < runsBefore) await time(samples.queryBefore, () => metricsSummaryBefore(stack.pool));
    await time(samples.selectOne, () => stack.pool.query('SELECT 1'));
    bar.tick();
  }
  bar.done();

  // 2. Commands with and without the figures asked for at the same time.
  const coordinator = await stack.token({ sub: 'bench-coordinator', role: 'coordinator', agencyId: 'kvv-gbg' });
  const supervisor = await stack.token({ sub: 'bench-supervisor', role: 'supervisor', agencyId: 'kvv-gbg' });
  const call = async (method: string, path: string, token: string, body?: unknown) => {
    const res = await fetch(`${stack.api.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = (await res.json()) as Record<string, unknown>;
    return { status: res.status, json };
  };
  const caseIds: string[] = [];
  for (let i = 0; i < COMMAND_LANES; i++) {
    const r = await call('POST', '/v1/cases', coordinator, {
      client: { name: `Bench figures ${i}`, municipality: '1480' }, phase: 'anstalt', admittedAt: isoIn(-30 * DAY),
      expectedReleaseAt: isoIn(90 * DAY), riskLevel: 'medium', needs: ['boende'], consent: { agencyIds: ['sot-1480'] },
    });
    if (r.status !== 201) throw new Error(`figures: opening a case: ${r.status} ${JSON.stringify(r.json)}`);
    caseIds.push(r.json.caseId as string);
  }
  const runCommands = async (label: string): Promise<number[]> => {
    const out: number[] = [];
    const b = progress(`figures: commands ${label}`, commandsEach);
    // One lane per case: a case's commands go one after another, as one coordinator's would.
    await inPool(caseIds, COMMAND_LANES, async (caseId, lane) => {
      for (let k = 0; k < commandsEach / COMMAND_LANES; k++) {
        const t = performance.now();
        const r = await call('PUT', `/v1/cases/${caseId}/client-view`, coordinator, { text: `Vy ${lane}-${k}` });
        out.push(performance.now() - t);
        if (r.status !== 200) throw new Error(`figures: command: ${r.status} ${JSON.stringify(r.json)}`);
        b.tick();
      }
    });
    b.done();
    return out;
  };
  await runCommands('(warm-up)');
  const alone = await runCommands('alone');

  let stop = false;
  const summaryTimes: number[] = [];
  let unavailable = 0;
  const callers = Array.from({ length: CONCURRENT_SUMMARY_CALLS }, async () => {
    while (!stop) {
      const t = performance.now();
      const r = await call('GET', '/v1/metrics/summary', supervisor);
      summaryTimes.push(performance.now() - t);
      if (r.status === 503) {
        unavailable += 1;
        await sleep(100);
      } else if (r.status !== 200) throw new Error(`figures: summary: ${r.status} ${JSON.stringify(r.json)}`);
    }
  });
  await sleep(500);
  const underLoad = await runCommands(`with ${CONCURRENT_SUMMARY_CALLS} summary callers`);
  stop = true;
  await Promise.all(callers);

  const s = {
    query: summarize(samples.query), queryBefore: summarize(samples.queryBefore), selectOne: summarize(samples.selectOne),
    commands: summarize(alone), commandsUnderFigures: summarize(underLoad), summary: summarize(summaryTimes),
  };
  const pick = (x: P) => ({ p50Ms: round(x.p50Ms, 2), p99Ms: round(x.p99Ms, 2) });
  ctx.detail('figures', { seeded, runs, runsBefore, commandsEach, figuresPoolMax: FIGURES_POOL_MAX, ...s, unavailable });
  ctx.note('figures', `${n.toLocaleString('en')} released cases written into the read models with SQL (bench/released-seed.ts). ` +
    `Figures' queries in PostgreSQL: now p50 ${round(s.query.p50Ms, 1)} ms (${runs} runs), before ${round(s.queryBefore.p50Ms, 1)} ms (${runsBefore} runs), ` +
    `SELECT 1 ${round(s.selectOne.p50Ms, 2)} ms. ${commandsEach} commands (PUT client-view, ${COMMAND_LANES} lanes) alone p99 ` +
    `${round(s.commands.p99Ms, 1)} ms; with ${CONCURRENT_SUMMARY_CALLS} concurrent summary callers p99 ${round(s.commandsUnderFigures.p99Ms, 1)} ms ` +
    `(${s.summary.n} summary calls, ${unavailable} answered 503).`);
  return {
    releasedCases: n, query: pick(s.query), queryBefore: pick(s.queryBefore), selectOne: pick(s.selectOne),
    commands: pick(s.commands), commandsUnderFigures: pick(s.commandsUnderFigures),
    summaryCalls: { n: s.summary.n, p50Ms: round(s.summary.p50Ms, 2), p99Ms: round(s.summary.p99Ms, 2), unavailable },
  };
}
