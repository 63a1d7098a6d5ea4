import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { caseWorkflowId } from '../workflows/messages';

/** Ends the case's workflow (the log's only other writer) before its data is erased. */
export async function endCaseWorkflow(client: Client, caseId: string): Promise<void> {
  try {
    await client.workflow.getHandle(caseWorkflowId(caseId)).terminate('the client’s data is being erased');
  } catch (err) {
    // Already ended (closed cases end by themselves), or never started.
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}

const isNotFound = (err: unknown) =>
  err instanceof WorkflowNotFoundError || (err as { code?: number })?.code === 5 || /not ?found/i.test(String((err as Error)?.message));

/**
 * Deletes every run of the case's workflow (continue-as-new makes several), so that its history,
 * encrypted or not, is gone from Temporal too. Runs are found by following each run's link to
 * the one it continued, newest first; repeated until none is left, so an interrupted deletion
 * finishes on the next try. The server removes a deleted run's history shortly after.
 */
export async function deleteCaseHistory(client: Client, caseId: string): Promise<number> {
  const workflowId = caseWorkflowId(caseId);
  const namespace = client.options.namespace;
  const service = client.workflowService;
  let deleted = 0;
  for (let pass = 0; pass < 20; pass += 1) {
    let runId: string | undefined;
    try {
      runId = (await client.workflow.getHandle(workflowId).describe()).runId;
    } catch (err) {
      if (isNotFound(err)) return deleted;
      throw err;
    }
    const runs: string[] = [];
    while (runId) {
      runs.push(runId);
      let previous: string | undefined;
      try {
        const page: Awaited<ReturnType<typeof service.getWorkflowExecutionHistory>> = await service.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId }, maximumPageSize: 1 });
        previous = page.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      runId = previous;
    }
    for (const id of runs) {
      try {
        await service.deleteWorkflowExecution({ namespace, workflowExecution: { workflowId, runId: id } });
        deleted += 1;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
  throw new Error(`the history of case ${caseId} is still there after 20 passes`);
}
