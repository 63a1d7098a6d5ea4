import type { History } from '@temporalio/common/lib/proto-utils';
import type { Command } from '../../domain/schemas/commands';
import { caseWorkflowId } from '../../workflows/messages';
import { coordinator, inSeconds, openCommand, request } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';

/**
 * What a command leaves in the case's Temporal history (issue 20): every event there is kept for
 * the life of the run and read back on every replay.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The JourneyPhase value of every upsert that set the journey's own attributes (not the SDK's TemporalChangeVersion). */
function phaseUpserts(history: History): unknown[] {
  return (history.events ?? []).flatMap((e) => {
    const phase = e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.JourneyPhase;
    return phase?.data ? [JSON.parse(Buffer.from(phase.data).toString('utf8'))] : [];
  });
}

test('search attributes are upserted only when one of them changes', async () => {
  const open = openCommand({ releaseInSeconds: 3600 });
  await stack.journeys.open(open.caseId, request(open));
  const commands: Command[] = [
    { type: 'record_meeting', agencyIds: ['sot-1480'] },
    { type: 'record_client_view', text: 'vill bo nära familjen' },
    { type: 'set_release_date', expectedReleaseAt: inSeconds(7200), reason: 'ny beräkning' },
    { type: 'record_client_view', text: 'vill bo i Göteborg' },
    { type: 'record_meeting', agencyIds: ['reg-vg'] },
    { type: 'change_phase', to: 'avslutad', reason: 'flyttat utomlands' },
  ];
  for (const command of commands) await stack.journeys.send(open.caseId, request(command, coordinator));
  const handle = stack.client.workflow.getHandle(caseWorkflowId(open.caseId));
  await handle.result();
  // Seven commands: the opening publishes, the release date and the close change what was
  // published; the meetings and the client's views change none of it (before the patch: eight,
  // one per command and one more as the run began its schedule).
  expect(phaseUpserts(await handle.fetchHistory())).toEqual(['anstalt', 'anstalt', 'avslutad']);
});
