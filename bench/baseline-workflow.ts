import { allHandlersFinished, condition, defineUpdate, setHandler, sleep } from '@temporalio/workflow';

/**
 * The bare engine, for comparison with the client-journey workflow: one update handler that
 * decides nothing, appends nothing and calls no activity. It receives the same requests (same
 * payload) in the same number as a case does, and ends after the one marked `last`, as a case
 * ends when it is closed. Bundled with its own worker (bench/worker-child.ts) on its own task
 * queue, on the same Temporal server as the cases.
 */
export interface BaselineRequest {
  /** The case's command request, carried only so the payload has the same size. */
  payload: unknown;
  last: boolean;
}

export const baselineUpdate = defineUpdate<{ count: number }, [BaselineRequest]>('command');

export async function baselineWorkflow(): Promise<void> {
  let count = 0;
  let done = false;
  setHandler(baselineUpdate, (req: BaselineRequest) => {
    count += 1;
    if (req.last) done = true;
    return { count };
  });
  await condition(() => done);
  await condition(allHandlersFinished);
}

/**
 * The bare engine's timer, for comparison with the alert deadlines: sleeps until `dueAt`
 * (epoch ms) and returns how late the workflow woke by its own clock (the workflow task's
 * start time), in ms. Nothing else: no activity, no update.
 */
export async function baselineTimer(dueAt: number): Promise<number> {
  const wait = dueAt - Date.now();
  if (wait > 0) await sleep(wait);
  return Date.now() - dueAt;
}
