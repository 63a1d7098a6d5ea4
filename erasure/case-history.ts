import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseWorkflowId } from '../workflows/messages';

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5 || /not ?found/i.test(String((err as Error)?.message));

/**
 * Every run of the case's workflow that Temporal still holds: continue-as-new makes several.
 * Found through visibility (which lists runs whose "current" pointer is already gone, as after an
 * interrupted deletion) and by following the current run's links back to the runs it continued.
 */
async function caseRuns(client: Client, workflowId: string): Promise<string[]> {
  const runs = new Set<string>();
  for await (const w of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) runs.add(w.runId);
  let runId: string | undefined;
  try {
    runId = (await client.workflow.getHandle(workflowId).describe()).runId;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  const service = client.workflowService;
  while (runId && runs.size < 10_000) {
    runs.add(runId);
    let previous: string | undefined;
    try {
      const page: Awaited<ReturnType<typeof service.getWorkflowExecutionHistory>> = await service.getWorkflowExecutionHistory({
        namespace: client.options.namespace, execution: { workflowId, runId }, maximumPageSize: 1,
      });
      previous = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    runId = previous;
  }
  return [...runs];
}

/**
 * Asks Temporal to delete every run of the case's workflow, so that its history, encrypted or
 * not, goes too. A running run is terminated and deleted at once, which also stops the case's
 * only other writer before its data is erased; closed runs are deleted by the server shortly
 * after (about 35 s on the dev server). Safe to repeat; returns how many runs were asked for.
 */
export async function deleteCaseHistory(client: Client, caseId: string): Promise<number> {
  const workflowId = caseWorkflowId(caseId);
  const runs = await caseRuns(client, workflowId);
  for (const runId of runs) {
    try {
      await client.workflowService.deleteWorkflowExecution({ namespace: client.options.namespace, workflowExecution: { workflowId, runId } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return runs.length;
}

/** Nothing of the case's workflow is left in Temporal: no run, current or listed. */
export async function caseHistoryGone(client: Client, caseId: string): Promise<boolean> {
  return (await caseRuns(client, caseWorkflowId(caseId))).length === 0;
}
