import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { dataConverterFor } from '../../config/payload-codec';
import { caseWorkflowId } from '../../workflows/messages';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, openCase, settle, type Call } from './support';

/**
 * Issue 15, part 2: less in history in the first place. Every command's update records only the
 * agencies its decision can look at (domain/agencies-needed.ts), not the whole directory, and
 * answers with the case's version, not its whole state (`slim-command-result`); the API shows
 * the case from the read model. Read here from the raw history, as the server stores it.
 */
let s: ApiTestStack;
let call: Call;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  const admin = await s.token({ sub: 'admin-slim', role: 'admin' });
  // Units the case below never needs: another municipality's social services, a probation office
  // elsewhere (a release looks at every one: a successor may be anywhere), an NGO the policy never asks for.
  for (const [agencyId, body] of [
    ['sot-1402', { type: 'socialtjansten', name: 'Socialtjänsten Partille', municipalities: ['1402'] }],
    ['frv-boras', { type: 'frivarden', name: 'Frivården Borås', municipalities: ['1490'] }],
    ['ngo-1480', { type: 'ideell', name: 'Stadsmissionen', municipalities: ['1480'] }],
  ] as const) {
    expect((await call('PUT', `/v1/agencies/${agencyId}`, { token: admin, body })).status).toBe(200);
  }
});
afterAll(async () => {
  await s?.close();
});

interface UpdateRecord {
  request: { command: { type: string }; directory: { agencyId: string }[] };
  answer: Record<string, unknown> | undefined;
}

/** Every update of the case's run, its recorded request and answer decoded with the project's data converter. */
async function updates(workflowId: string): Promise<UpdateRecord[]> {
  const res = await s.client.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
  const codec = dataConverterFor(process.env.PAYLOAD_KEYS).payloadCodecs![0]!;
  const decoded = async (p: temporal.api.common.v1.IPayload | undefined) =>
    p ? defaultPayloadConverter.fromPayload<unknown>((await codec.decode([p as Payload]))[0]!) : undefined;
  const byId = new Map<string, UpdateRecord>();
  for (const e of res.history?.events ?? []) {
    const accepted = e.workflowExecutionUpdateAcceptedEventAttributes;
    if (accepted) {
      const request = (await decoded(accepted.acceptedRequest?.input?.args?.payloads?.[0])) as UpdateRecord['request'];
      byId.set(accepted.protocolInstanceId!, { request, answer: undefined });
    }
    const completed = e.workflowExecutionUpdateCompletedEventAttributes;
    if (completed) {
      const record = byId.get(completed.meta!.updateId!)!;
      record.answer = (await decoded(completed.outcome?.success?.payloads?.[0])) as Record<string, unknown>;
    }
  }
  return [...byId.values()];
}

test('an update records only the agencies its command needs and answers with a version, not the case', async () => {
  const coordinator = await s.token({ sub: 'anna-slim', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'sven-slim', role: 'agency', agencyId: 'sot-1480' });
  const c = await openCase({ call, pool: s.pool }, coordinator);
  const meeting = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: coordinator, body: { agencyIds: ['sot-1480'] } });
  expect(meeting.status).toBe(201);
  expect(meeting.body.meetings).toHaveLength(1);
  const done = await call('POST', `/v1/cases/${c.caseId}/interventions/i1/complete`, { token: social, body: {} });
  expect(done.status).toBe(200);
  expect(done.body.interventions.find((i: { interventionId: string }) => i.interventionId === 'i1').status).toBe('completed');
  const released = await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: coordinator, body: { to: 'frigiven' } });
  expect(released.status).toBe(200);
  expect(released.body.phase).toBe('frigiven');
  await settle(s.pool, c.caseId);

  const recorded = await updates(caseWorkflowId(c.caseId));
  const ids = (u: UpdateRecord) => u.request.directory.map((a) => a.agencyId).sort();
  expect(recorded.map((u) => [u.request.command.type, ids(u)])).toEqual([
    // The coordinator's agency (it holds responsibility), the consented ones, and the units that
    // serve Göteborg in the default policy's types; not Partille's, not the NGO.
    ['open_case', ['af', 'frv-gbg', 'kvv-gbg', 'reg-vg', 'sot-1480']],
    ['record_meeting', ['sot-1480']],
    ['complete_intervention', []],
    ['change_phase', ['frv-boras', 'frv-gbg']],
  ]);
  const versions = (await s.pool.query('SELECT version FROM events WHERE stream_id = $1 ORDER BY version', [c.caseId])).rows;
  for (const u of recorded) {
    expect(u.answer).toEqual({ version: expect.any(Number), duplicate: false });
  }
  // Each answer names the version the case reached with that command.
  expect(recorded.map((u) => u.answer!.version as number).every((v, i, all) => i === 0 || v > all[i - 1]!)).toBe(true);
  expect(recorded.at(-1)!.answer!.version).toBeLessThanOrEqual(versions.length);
});

test('a run begun before slim-command-result answers with the whole case, and the API shows it all the same', async () => {
  await s.stopWorker();
  // The workflow code as it was before the patch: the run keeps that decision to its end.
  await s.startWorker({ patchActivationCallback: ({ patchId }) => patchId !== 'slim-command-result' });
  try {
    const coordinator = await s.token({ sub: 'anna-old', role: 'coordinator', agencyId: 'kvv-gbg' });
    const c = await openCase({ call, pool: s.pool }, coordinator);
    const meeting = await call('POST', `/v1/cases/${c.caseId}/meetings`, { token: coordinator, body: { agencyIds: ['reg-vg'] } });
    expect(meeting.status).toBe(201);
    expect(meeting.body).toMatchObject({ caseId: c.caseId, meetings: [expect.objectContaining({ agencyIds: ['reg-vg'] })] });
    const recorded = await updates(caseWorkflowId(c.caseId));
    expect(recorded.map((u) => Object.keys(u.answer!).sort())).toEqual([['duplicate', 'state'], ['duplicate', 'state']]);
    expect(recorded.map((u) => (u.answer!.state as { version: number }).version)).toEqual([c.version, c.version + 1]);
  } finally {
    await s.stopWorker();
    await s.startWorker();
  }
});
