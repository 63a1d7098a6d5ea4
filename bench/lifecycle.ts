import { randomUUID } from 'node:crypto';
import { Client, WithStartWorkflowOperation } from '@temporalio/client';
import { readCaseFrom } from '../api/case-after-command';
import { JourneyClient } from '../api/journey-client';
import type { Command } from '../domain/schemas/commands';
import { policyBodySchema } from '../domain/schemas/policy';
import { caseWorkflowId, type CommandRequest } from '../workflows/messages';
import { baselineUpdate } from './baseline-workflow';
import { commandRequest, coordinatorActor, DAY, isoIn, officerOf, type BenchContext } from './context';
import { startProfile } from './profile';
import { progress, say } from './progress';
import { BASELINE_QUEUE } from './stack';
import { inPool, round, summarize } from './stats';

/**
 * Phase 1, lifecycle throughput. Each case goes the whole way through JourneyClient updates:
 * open (3 interventions planned from the policy), adopt the plan, each agency completes its
 * intervention, release, close — 7 updates, after which the workflow ends by itself. The
 * baseline: as many bare workflows (bench/baseline-workflow.ts), each receiving 7 updates
 * with the same payloads, on the same server, with the same concurrency, in the same run. And
 * the cost of encrypting Temporal's payloads: the same cases once more through a worker and
 * a client without the payload codec (a bench-only comparison; the product always encrypts).
 */
const PLAIN_QUEUE = 'bench-journeys-no-codec';

export const LIFECYCLE_POLICY = policyBodySchema.parse({
  requirements: [
    { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'Bostad ordnad' },
    { area: 'sysselsattning', appliesWhen: 'always', agencyType: 'arbetsformedlingen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Kontakt med Arbetsförmedlingen' },
    { area: 'missbruk', appliesWhen: 'need', agencyType: 'regionen', requiredBeforeRelease: true, dueBeforeRelease: 'P14D', title: 'Beroendevård fortsätter' },
  ],
  reminders: ['P7D', 'P1D'],
  escalation: { level2After: 'P3D' },
  followUps: { high: ['P1D', 'P7D'], medium: ['P7D', 'P30D'], low: ['P30D'] },
});

export const UPDATES_PER_CASE = 7;

export function openCaseCommand(caseId: string, opts: { releaseInMs?: number; consent?: string[] } = {}): Command & { type: 'open_case' } {
  return {
    type: 'open_case',
    caseId,
    client: { municipality: '1480' },
    phase: 'anstalt',
    admittedAt: isoIn(-3600_000),
    expectedReleaseAt: isoIn(opts.releaseInMs ?? 90 * DAY),
    riskLevel: 'medium',
    needs: ['missbruk'],
    consent: { agencyIds: opts.consent ?? ['sot-1480', 'reg-vg', 'af', 'frv-gbg'] },
    responsibility: { successorAgencyId: 'frv-gbg' },
    policy: { policyId: 'bench', version: 1, body: LIFECYCLE_POLICY },
  };
}

async function oneCase(ctx: BenchContext, latencies: number[], last?: { caseId?: string }, journeys = ctx.stack.journeys): Promise<void> {
  const caseId = `life-${randomUUID()}`;
  if (last) last.caseId = caseId;
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t = performance.now();
    const r = await fn();
    latencies.push(performance.now() - t);
    return r;
  };
  const opened = await timed(() => journeys.open(caseId, commandRequest(openCaseCommand(caseId))));
  const send = (command: Command, actor = coordinatorActor) => timed(() => journeys.send(caseId, commandRequest(command, actor)));
  await send({ type: 'adopt_plan' });
  const interventions = opened.state.interventions;
  if (interventions.length !== UPDATES_PER_CASE - 4) throw new Error(`expected ${UPDATES_PER_CASE - 4} interventions, got ${interventions.length}`);
  for (const i of interventions) await send({ type: 'complete_intervention', interventionId: i.interventionId }, officerOf(i.agencyId!));
  await send({ type: 'change_phase', to: 'frigiven' });
  await send({ type: 'change_phase', to: 'avslutad', reason: 'prövotiden har löpt ut' });
}

/** The same payloads a case's updates carry, for the baseline. */
function baselinePayloads(): CommandRequest[] {
  const caseId = `base-${randomUUID()}`;
  return [
    commandRequest(openCaseCommand(caseId)),
    commandRequest({ type: 'adopt_plan' }),
    ...['i1', 'i2', 'i3'].map((id) => commandRequest({ type: 'complete_intervention', interventionId: id }, officerOf('sot-1480'))),
    commandRequest({ type: 'change_phase', to: 'frigiven' }),
    commandRequest({ type: 'change_phase', to: 'avslutad', reason: 'prövotiden har löpt ut' }),
  ];
}

async function oneBaseline(ctx: BenchContext, latencies: number[], last?: { baselineId?: string }): Promise<void> {
  const { client } = ctx.stack;
  const workflowId = `baseline-${randomUUID()}`;
  if (last) last.baselineId = workflowId;
  const payloads = baselinePayloads();
  for (const [k, payload] of payloads.entries()) {
    const arg = { payload, last: k === payloads.length - 1 };
    const t = performance.now();
    if (k === 0) {
      await client.workflow.executeUpdateWithStart(baselineUpdate, {
        args: [arg],
        updateId: payload.requestId,
        startWorkflowOperation: new WithStartWorkflowOperation('baselineWorkflow', {
          workflowId, taskQueue: BASELINE_QUEUE, args: [], workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
    } else {
      await client.workflow.getHandle(workflowId).executeUpdate(baselineUpdate, { args: [arg], updateId: payload.requestId });
    }
    latencies.push(performance.now() - t);
  }
}

async function run(label: string, n: number, concurrency: number, one: (lat: number[]) => Promise<void>) {
  const latencies: number[] = [];
  const bar = progress(label, n);
  const t = performance.now();
  await inPool(Array.from({ length: n }), concurrency, async () => {
    await one(latencies);
    bar.tick();
  });
  const seconds = (performance.now() - t) / 1000;
  bar.done(`${n} in ${seconds.toFixed(1)} s = ${(n / seconds).toFixed(1)}/s`);
  return { seconds, perSecond: n / seconds, latency: summarize(latencies) };
}

export interface LifecycleResult {
  cases: number; seconds: number; perSecond: number; baselinePerSecond: number; ratio: number;
  /** The same cases without the payload codec, and the share of throughput the codec costs. */
  withoutCodecPerSecond: number; codecCost: number;
  /** A command's latency under that load, the bare engine's beside it; optional in older results. */
  updateLatency?: { p50Ms: number; p99Ms: number };
  baselineUpdateLatency?: { p50Ms: number; p99Ms: number };
  updateLatencyP50Ratio?: number;
}

export async function lifecyclePhase(ctx: BenchContext): Promise<LifecycleResult> {
  const n = ctx.quick ? 50 : 500;
  const concurrency = 20;
  say(`lifecycle: warming up (5 cases, 5 baseline workflows)`);
  await inPool(Array.from({ length: 5 }), 5, () => oneCase(ctx, []));
  await inPool(Array.from({ length: 5 }), 5, () => oneBaseline(ctx, []));

  let profile = startProfile(ctx.profileTargets(), { databaseUrl: ctx.stack.databaseUrl });
  const lastIds: { caseId?: string; baselineId?: string } = {};
  const cases = await run('lifecycle: cases', n, concurrency, (lat) => oneCase(ctx, lat, lastIds));
  const caseProfile = await profile.stop();
  ctx.profile('lifecycle (cases)', caseProfile);
  profile = startProfile(ctx.profileTargets());
  const base = await run('lifecycle: baseline', n, concurrency, (lat) => oneBaseline(ctx, lat, lastIds));
  ctx.profile('lifecycle (baseline)', await profile.stop());
  // As many as the codec's run had (the cluster profile has two), or the comparison measures the worker count.
  const plainWorkers = await Promise.all(Array.from({ length: ctx.workersPerQueue }, () => ctx.stack.startWorker('journey', PLAIN_QUEUE, { codec: false })));
  const plainJourneys = new JourneyClient(new Client({ connection: ctx.stack.client.connection, namespace: 'default' }), PLAIN_QUEUE, readCaseFrom(ctx.stack.pool));
  await inPool(Array.from({ length: 5 }), 5, () => oneCase(ctx, [], undefined, plainJourneys));
  const plain = await run('lifecycle: cases without the codec', n, concurrency, (lat) => oneCase(ctx, lat, undefined, plainJourneys));
  await Promise.all(plainWorkers.map((w) => w.stop()));
  // What one case and one baseline workflow cost the server: events in their histories.
  const historyLength = async (workflowId: string | undefined) =>
    workflowId ? ((await ctx.stack.client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0) : 0;
  const caseHistory = await historyLength(lastIds.caseId && caseWorkflowId(lastIds.caseId));
  const baselineHistory = await historyLength(lastIds.baselineId);
  // Every update appends once, under the one database-wide append lock.
  const appends = n * UPDATES_PER_CASE;
  const lockHeldMsPerAppend = caseProfile.appendLock ? (caseProfile.appendLock.heldFraction * cases.seconds * 1000) / appends : NaN;

  ctx.detail('lifecycle', {
    updatesPerCase: UPDATES_PER_CASE,
    concurrency,
    caseUpdatesPerSecond: round(cases.perSecond * UPDATES_PER_CASE, 1),
    baselineUpdatesPerSecond: round(base.perSecond * UPDATES_PER_CASE, 1),
    caseUpdateLatency: cases.latency,
    baselineUpdateLatency: base.latency,
    baselineSeconds: round(base.seconds, 2),
    withoutCodec: { perSecond: round(plain.perSecond, 2), updateLatency: plain.latency },
    historyEventsPerCase: caseHistory,
    historyEventsPerBaselineWorkflow: baselineHistory,
    appendLockHeldMsPerAppend: round(lockHeldMsPerAppend, 1),
    appendLockMeanWaiting: caseProfile.appendLock?.meanWaiting ?? null,
  });
  ctx.note('lifecycle', `${n} cases × ${UPDATES_PER_CASE} updates (open with 3 interventions, adopt plan, 3 × complete, release, close), ` +
    `${concurrency} cases in flight; baseline: ${n} bare workflows × ${UPDATES_PER_CASE} updates with the same payloads. ` +
    `Update latency p50/p99: cases ${cases.latency.p50Ms.toFixed(0)}/${cases.latency.p99Ms.toFixed(0)} ms, ` +
    `baseline ${base.latency.p50Ms.toFixed(0)}/${base.latency.p99Ms.toFixed(0)} ms. History events: case ${caseHistory}, baseline ${baselineHistory}. ` +
    `The append lock was held ${caseProfile.appendLock ? (caseProfile.appendLock.heldFraction * 100).toFixed(0) : '?'} % of the case run, ` +
    `≈ ${lockHeldMsPerAppend.toFixed(1)} ms per append, ${caseProfile.appendLock?.meanWaiting.toFixed(2) ?? '?'} appends waiting on average.`);
  return {
    cases: n,
    seconds: round(cases.seconds, 2),
    perSecond: round(cases.perSecond, 2),
    baselinePerSecond: round(base.perSecond, 2),
    ratio: round(cases.perSecond / base.perSecond, 3),
    withoutCodecPerSecond: round(plain.perSecond, 2),
    codecCost: round(1 - cases.perSecond / plain.perSecond, 3),
    updateLatency: { p50Ms: round(cases.latency.p50Ms, 1), p99Ms: round(cases.latency.p99Ms, 1) },
    baselineUpdateLatency: { p50Ms: round(base.latency.p50Ms, 1), p99Ms: round(base.latency.p99Ms, 1) },
    updateLatencyP50Ratio: round(cases.latency.p50Ms / base.latency.p50Ms, 2),
  };
}
