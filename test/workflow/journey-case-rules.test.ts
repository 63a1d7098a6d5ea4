import type { Command } from '../../domain/schemas/commands';
import type { Person } from '../../domain/schemas/actor';
import { caseWorkflowId } from '../../workflows/messages';
import { eventually } from '../../dev/eventually';
import { coordinator, fastPolicy, inSeconds, openCommand, request, social, supervisorOf } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';
import { alertsOf, eventsAfter, typesOf } from './event-log';

/*
 * The case rules of December 2026 (domain/rules.ts) on the real stack: a release, its handover,
 * a new remand, a release date that passes, and alerts that outlive the case's closing. Time is
 * compressed through the policy (seconds), nothing else.
 */
let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const live = (rows: Awaited<ReturnType<typeof alertsOf>>) => rows.filter((a) => a.status !== 'resolved');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function holderOf(caseId: string) {
  const r = await stack.pool.query('SELECT holder_agency_id, successor_agency_id FROM case_summaries WHERE case_id = $1', [caseId]);
  return r.rows[0] as { holder_agency_id: string | null; successor_agency_id: string | null };
}

test('release, handover, new remand, a passed release date and a closed case that waits for its acknowledgement', async () => {
  const policy = fastPolicy({
    reminders: [], escalation: { level2After: 'PT1H' },
    followUps: { high: ['PT1H'], medium: ['PT1H'], low: ['PT1H'] },
    milestones: { planAdoptedWithin: 'P30D', successorNamedBeforeRelease: 'PT1S', meetingBeforeRelease: 'PT1S', releaseRecordedWithin: 'PT2S' },
  });
  const open = openCommand({ releaseInSeconds: 3600, riskLevel: 'low', policy });
  const caseId = open.caseId;
  const send = (command: Command, actor: Person = coordinator) => stack.journeys.send(caseId, request(command, actor));
  await stack.journeys.open(caseId, request(open));
  // A new case follows the current rules from its opening on.
  expect(typesOf(await eventsAfter(stack.pool, caseId))).toEqual(['CaseOpened', 'InterventionPlanned', 'RulesAdopted']);
  await send({ type: 'record_meeting', agencyIds: ['sot-1480'] });

  // Released with housing open and no successor: level 3 for housing, and for the missing successor.
  await send({ type: 'change_phase', to: 'frigiven' });
  await eventually(async () => {
    expect(live(await alertsOf(stack.pool, caseId)).map((a) => `${a.kind}:L${a.level}:${a.agency_id}:${a.intervention_id ?? '-'}`).sort()).toEqual([
      'released_with_gap:L3:kvv-gbg:i1', 'released_with_gap:L3:sot-1480:i1', 'successor_missing:L3:kvv-gbg:-',
    ]);
  });

  // Work added after release is not "released with a gap".
  await send({ type: 'add_intervention', area: 'sysselsattning', title: 'Praktikplats', agencyId: 'af', requiredBeforeRelease: true });
  await pause(1_500);
  expect((await alertsOf(stack.pool, caseId)).filter((a) => a.intervention_id === 'i2')).toEqual([]);

  // Naming a successor now hands responsibility over at once, and ends that gap.
  await send({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' });
  expect(typesOf(await eventsAfter(stack.pool, caseId)).slice(-4)).toEqual(expect.arrayContaining(['ResponsibilityChanged', 'ResponsibilityHandedOver']));
  expect(await holderOf(caseId)).toEqual({ holder_agency_id: 'frv-gbg', successor_agency_id: null });
  await eventually(async () => expect((await alertsOf(stack.pool, caseId)).find((a) => a.kind === 'successor_missing')!.status).toBe('resolved'));
  await send({ type: 'complete_intervention', interventionId: 'i1', note: 'lägenhet ordnad' }, social);

  // A new remand: the earlier period's open work ends, housing is planned again, Kriminalvården holds responsibility.
  const before = (await eventsAfter(stack.pool, caseId)).length;
  await send({ type: 'change_phase', to: 'hakte', reason: 'nytt häktningsbeslut' });
  const remand = (await eventsAfter(stack.pool, caseId, before)).map((e) => [e.type, e.data]);
  expect(remand).toEqual(expect.arrayContaining([
    ['InterventionCancelled', { interventionId: 'i2', reason: 'new_remand' }],
    ['ResponsibilityChanged', { holderAgencyId: 'kvv-gbg', successorAgencyId: null }],
    ['InterventionPlanned', expect.objectContaining({ interventionId: 'i3', area: 'boende', agencyId: 'sot-1480' })],
  ]));
  expect(await holderOf(caseId)).toEqual({ holder_agency_id: 'kvv-gbg', successor_agency_id: null });

  // Back in prison, the release date passes unrecorded: a gap for the coordinator, PT2S after it.
  await send({ type: 'change_phase', to: 'anstalt' });
  const releaseAt = Date.now() + 2_000;
  await send({ type: 'set_release_date', expectedReleaseAt: new Date(releaseAt).toISOString(), reason: 'ny dom' });
  const passed = await eventually(async () => {
    const a = (await alertsOf(stack.pool, caseId)).find((x) => x.kind === 'release_date_passed');
    expect(a).toBeDefined();
    return a!;
  }, 20_000);
  expect([passed.level, passed.agency_id, passed.since.getTime()]).toEqual([1, 'kvv-gbg', releaseAt + 2_000]);
  // The meeting of the earlier period does not count for this release.
  expect((await alertsOf(stack.pool, caseId)).some((a) => a.kind === 'meeting_missing')).toBe(true);

  // Closed with alerts nobody acknowledged: they stay, the case waits for them.
  await send({ type: 'change_phase', to: 'avslutad', reason: 'överförd till annan samordnare' });
  await pause(1_500);
  const waiting = live(await alertsOf(stack.pool, caseId));
  expect(waiting.length).toBeGreaterThan(0);
  expect(waiting.every((a) => a.status === 'open')).toBe(true);
  const handle = stack.client.workflow.getHandle(caseWorkflowId(caseId));
  expect((await handle.describe()).status.name).toBe('RUNNING');
  for (const a of waiting) await send({ type: 'acknowledge_alert', alertId: a.alert_id }, supervisorOf(a.agency_id));
  await handle.result();
  const ended = await stack.pool.query('SELECT status, resolved_reason FROM alerts WHERE case_id = $1 AND alert_id = ANY($2)', [caseId, waiting.map((a) => a.alert_id)]);
  expect(ended.rows.every((r) => r.status === 'resolved' && r.resolved_reason === 'case_closed')).toBe(true);
}, 90_000);

test('a case running before the rules takes them at its next command, and its past is not judged anew', async () => {
  await stack.stopWorker();
  await stack.startWorker({ patchActivationCallback: ({ patchId }) => patchId !== 'case-rules-2' });
  const open = openCommand({ releaseInSeconds: 3600, policy: fastPolicy({ reminders: [] }) });
  const caseId = open.caseId;
  try {
    await stack.journeys.open(caseId, request({ ...open, responsibility: { successorAgencyId: 'frv-gbg' } }));
    await stack.journeys.send(caseId, request({ type: 'record_meeting', agencyIds: ['sot-1480'] }));
    expect(typesOf(await eventsAfter(stack.pool, caseId))).toEqual(['CaseOpened', 'InterventionPlanned', 'CoordinationMeetingRecorded']);
  } finally {
    await stack.stopWorker();
    await stack.startWorker();
  }
  await stack.journeys.send(caseId, request({ type: 'change_phase', to: 'frigiven', at: inSeconds(0) }));
  const events = await eventsAfter(stack.pool, caseId, 3);
  expect(typesOf(events).slice(0, 2)).toEqual(['RulesAdopted', 'PhaseChanged']);
  expect(events[1]!.data).toMatchObject({ openAtRelease: ['i1'] });
  expect(typesOf(events)).toContain('ResponsibilityHandedOver');
  expect(await holderOf(caseId)).toEqual({ holder_agency_id: 'frv-gbg', successor_agency_id: null });
}, 60_000);
