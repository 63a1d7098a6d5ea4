import { randomUUID } from 'node:crypto';
import { readCaseFrom } from '../api/case-after-command';
import { JourneyClient } from '../api/journey-client';
import { commandRequest, DAY, retried, type BenchContext } from './context';
import { openCaseCommand } from './lifecycle';
import { startProfile } from './profile';
import { progress, say } from './progress';
import type { MemorySample } from './stack';
import { inPool, round, sleep } from './stats';

/**
 * Phase 5, worker memory. A fresh worker child process (the real createWorker with the
 * product's defaults) on a task queue of its own, so its RSS is this worker's alone and no
 * other phase's workflows land in it. RSS idle, then N cases opened through Temporal in
 * batches with bounded concurrency (each stays open: deadlines weeks ahead, timers pending),
 * sampled as they come, and once more after the worker has settled.
 * `perThousandMiB` = (RSS with N open − idle RSS) / (N / 1000). N is 10,000 in a full run; a
 * --quick run measures fewer cases and reports that count as it is (nothing is extrapolated).
 */

export interface WorkerMemoryResult { cases: number; rssMiB: number; perThousandMiB: number }

const MEMORY_QUEUE = 'bench-memory';
const TARGET = 10_000;
const mib = (b: number) => b / 1024 / 1024;

export async function workerMemoryPhase(ctx: BenchContext): Promise<WorkerMemoryResult> {
  const { stack } = ctx;
  const n = ctx.quick ? 200 : TARGET;
  const concurrency = 20;
  const worker = await stack.startWorker('journey', MEMORY_QUEUE);
  try {
    const journeys = new JourneyClient(stack.client, MEMORY_QUEUE, readCaseFrom(stack.pool));
    // Warm the sandbox with a few cases first, so "idle" is a worker that has run workflows.
    const warm = Array.from({ length: 5 }, () => `mem-warm-${randomUUID()}`);
    for (const id of warm) await journeys.open(id, commandRequest(openCaseCommand(id)));
    await sleep(3000);
    const idle = await worker.memory();
    say(`workerMemory: idle worker RSS ${mib(idle.rss).toFixed(0)} MiB (heap ${mib(idle.heapUsed).toFixed(0)} MiB), sticky cache ${worker.maxCachedWorkflows} workflows`);

    const curve: { cases: number; rssMiB: number; heapMiB: number }[] = [{ cases: 0, rssMiB: round(mib(idle.rss)), heapMiB: round(mib(idle.heapUsed)) }];
    const every = Math.max(50, Math.round(n / 20));
    let opened = 0;
    const failures: { retries: number; firstError?: string } = { retries: 0 };
    let sampling = Promise.resolve();
    const profile = startProfile(ctx.profileTargets(), { databaseUrl: stack.databaseUrl });
    const t = performance.now();
    const bar = progress('workerMemory: open', n);
    await inPool(Array.from({ length: n }), concurrency, async () => {
      const id = `mem-${randomUUID()}`;
      const req = commandRequest(openCaseCommand(id));
      await retried('workerMemory: opening a case', () => journeys.open(id, req), failures);
      opened += 1;
      bar.tick();
      if (opened % every === 0) {
        const at = opened;
        sampling = sampling.then(async () => {
          const m = await worker.memory();
          curve.push({ cases: at, rssMiB: round(mib(m.rss)), heapMiB: round(mib(m.heapUsed)) });
        });
      }
    });
    const openSeconds = (performance.now() - t) / 1000;
    bar.done(`${n} opened in ${openSeconds.toFixed(1)} s = ${(n / openSeconds).toFixed(1)}/s`);
    ctx.profile('workerMemory (opening)', await profile.stop());
    await sampling;
    await sleep(ctx.quick ? 5000 : 15_000);
    const settled: MemorySample = await worker.memory();
    const peak = Math.max(settled.rss, ...curve.map((c) => c.rssMiB * 1024 * 1024));
    const perThousand = (mib(settled.rss) - mib(idle.rss)) / (n / 1000);
    const cached = Math.min(n + warm.length, worker.maxCachedWorkflows);
    await worker.stop();
    const bare = await bareEngineMemory(ctx, n);
    const perCachedMiB = (mib(settled.rss) - mib(idle.rss)) / Math.max(1, Math.min(n, worker.maxCachedWorkflows));
    ctx.detail('workerMemory', {
      measuredCases: n, idleRssMiB: round(mib(idle.rss)), settledRssMiB: round(mib(settled.rss)), peakRssMiB: round(mib(peak)),
      settledHeapMiB: round(mib(settled.heapUsed)), maxCachedWorkflows: worker.maxCachedWorkflows, workflowsInCache: cached,
      perCachedWorkflowMiB: round(perCachedMiB, 3), opensPerSecond: round(n / openSeconds, 1), curve,
      workerCpuSecondsPerOpen: round((settled.cpuMs - idle.cpuMs) / 1000 / n, 4),
      openingRetries: failures.retries, ...(failures.firstError ? { firstOpeningError: failures.firstError } : {}), ...(failures.retries > 0 ? { temporalServerLog: stack.serverLog().slice(-20) } : {}),
      bareEngine: bare,
    });
    ctx.note('workerMemory', `${n.toLocaleString('en')} cases opened through Temporal (${(n / openSeconds).toFixed(1)}/s, ${concurrency} in flight) ` +
      `on a fresh worker child process; RSS idle ${mib(idle.rss).toFixed(0)} MiB, after opening ${mib(settled.rss).toFixed(0)} MiB ` +
      `(peak ${mib(peak).toFixed(0)} MiB). The sticky cache keeps at most ${worker.maxCachedWorkflows} workflows resident ` +
      `(WORKER_MAX_CACHED_WORKFLOWS), so past that RSS should level off: ${perCachedMiB.toFixed(2)} MiB per cached case. ` +
      `The bare engine (as many timer-only workflows on a fresh worker of their own): RSS ${bare.rssMiB.toFixed(0)} MiB, ` +
      `${bare.perCachedWorkflowMiB.toFixed(2)} MiB per cached workflow.`);
    return { cases: n, rssMiB: round(mib(settled.rss)), perThousandMiB: round(perThousand, 2) };
  } finally {
    await worker.stop();
  }
}

/**
 * The same measurement for the bare engine: a fresh baseline worker (bench/baseline-workflow.ts,
 * the same WORKER_* settings) and as many `baselineTimer` workflows, each asleep for a day, as
 * cases were opened. What a parked workflow costs the SDK itself, without the product's code.
 */
async function bareEngineMemory(ctx: BenchContext, n: number) {
  const { stack } = ctx;
  const queue = 'bench-memory-bare';
  const worker = await stack.startWorker('baseline', queue);
  try {
    const start = (id: string) =>
      stack.client.workflow.start('baselineTimer', { taskQueue: queue, workflowId: id, args: [Date.now() + DAY] });
    for (let i = 0; i < 5; i++) await start(`bare-warm-${randomUUID()}`);
    await sleep(3000);
    const idle = await worker.memory();
    const bar = progress('workerMemory: bare engine', n);
    const t = performance.now();
    await inPool(Array.from({ length: n }), 20, async () => {
      await start(`bare-${randomUUID()}`);
      bar.tick();
    });
    const seconds = (performance.now() - t) / 1000;
    bar.done(`${n} started in ${seconds.toFixed(1)} s`);
    // A start returns before the workflow's first task has run: wait until the worker has taken them all.
    await sleep(ctx.quick ? 5000 : 15_000);
    const settled = await worker.memory();
    const perCached = (mib(settled.rss) - mib(idle.rss)) / Math.max(1, Math.min(n, worker.maxCachedWorkflows));
    return {
      workflows: n, idleRssMiB: round(mib(idle.rss)), rssMiB: round(mib(settled.rss)),
      perThousandMiB: round((mib(settled.rss) - mib(idle.rss)) / (n / 1000), 2), perCachedWorkflowMiB: round(perCached, 3),
      startsPerSecond: round(n / seconds, 1),
    };
  } finally {
    await worker.stop();
  }
}
