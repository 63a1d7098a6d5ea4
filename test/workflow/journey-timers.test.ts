import { readStream } from '../../store/event-store';
import { eventually } from '../../dev/eventually';
import { coordinator, fastPolicy, inSeconds, openCommand, probation, request, social, supervisorOf } from '../../dev/fixtures';
import { startTestStack, type TestStack } from '../../dev/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const alertsOf = async (caseId: string) =>
  (await stack.pool.query('SELECT kind, level, agency_id, status, raised_at FROM alerts WHERE case_id = $1 ORDER BY raised_at, level', [caseId])).rows;

test('overdue housing raises level 1, then level 2, and completion resolves both', async () => {
  // Housing is due 20 s before release: release in 22 s puts the due moment 2 s ahead.
  const open = openCommand({ releaseInSeconds: 22 });
  const opened = await stack.journeys.open(open.caseId, request(open));
  const dueAt = Date.parse(opened.state.interventions[0]!.dueAt!);
  await stack.journeys.send(open.caseId, request({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' }));
  await stack.journeys.send(open.caseId, request({ type: 'record_meeting', agencyIds: ['sot-1480'] }));

  const level1 = await eventually(async () => {
    const rows = (await alertsOf(open.caseId)).filter((a) => a.kind === 'intervention_overdue');
    expect(rows).toContainEqual(expect.objectContaining({ level: 1, agency_id: 'sot-1480', status: 'open' }));
    return rows.find((a) => a.level === 1)!;
  });
  expect(level1.raised_at.getTime() - dueAt).toBeLessThan(1500);
  // Delivery is its own activity after the reminder event: it may land a moment later.
  await eventually(async () => {
    expect(stack.delivered.some((n) => n.kind === 'reminder' && n.caseId === open.caseId)).toBe(true);
  });

  await eventually(async () => {
    const rows = await alertsOf(open.caseId);
    expect(rows).toContainEqual(expect.objectContaining({ kind: 'intervention_overdue', level: 2, agency_id: 'kvv-gbg', status: 'open' }));
  });
  // A supervisor acknowledges; the alert stays until the gap closes.
  const ackable = (await stack.pool.query(`SELECT alert_id FROM alerts WHERE case_id = $1 AND level = 1`, [open.caseId])).rows[0];
  await stack.journeys.send(open.caseId, request({ type: 'acknowledge_alert', alertId: ackable.alert_id }, supervisorOf('sot-1480')));

  await stack.journeys.send(open.caseId, request({ type: 'complete_intervention', interventionId: 'i1' }, social));
  await eventually(async () => {
    const rows = await alertsOf(open.caseId);
    expect(rows.filter((a) => a.kind === 'intervention_overdue').map((a) => a.status)).toEqual(['resolved', 'resolved']);
  });
  const raised = (await readStream(stack.pool, open.caseId)).filter((e) => e.type === 'AlertRaised');
  expect(new Set(raised.map((e) => (e.data as { key: string }).key)).size).toBe(raised.length);
});

test('release with housing open raises level 3; follow-ups by risk level, a missed one alerts', async () => {
  const open = openCommand({ releaseInSeconds: 3600, riskLevel: 'high' });
  await stack.journeys.open(open.caseId, request(open));
  await stack.journeys.send(open.caseId, request({ type: 'set_responsibility', holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' }));
  const released = await stack.journeys.send(open.caseId, request({ type: 'change_phase', to: 'frigiven' }));
  expect(released.state.followUps.map((f) => f.offset)).toEqual(['PT2S', 'PT4S']);
  expect(released.state.followUps.every((f) => f.agencyId === 'frv-gbg')).toBe(true);

  await eventually(async () => {
    const rows = (await alertsOf(open.caseId)).filter((a) => a.kind === 'released_with_gap');
    expect(rows.map((a) => [a.level, a.agency_id]).sort()).toEqual([[3, 'kvv-gbg'], [3, 'sot-1480']]);
  });
  // The first follow-up is done in time; the second is let slip.
  await stack.journeys.send(open.caseId, request({ type: 'complete_follow_up', followUpId: 'f1' }, probation));
  await eventually(async () => {
    const rows = (await alertsOf(open.caseId)).filter((a) => a.kind === 'follow_up_missed');
    expect(rows).toEqual([expect.objectContaining({ level: 1, agency_id: 'frv-gbg', status: 'open' })]);
  });
  const tasks = await stack.pool.query(`SELECT follow_up_id, status FROM tasks WHERE case_id = $1 AND kind = 'follow_up' ORDER BY follow_up_id`, [open.caseId]);
  expect(tasks.rows).toEqual([{ follow_up_id: 'f1', status: 'completed' }, { follow_up_id: 'f2', status: 'missed' }]);
});

test('moving the release date moves the deadlines, earlier and later', async () => {
  const open = openCommand({ releaseInSeconds: 3600, policy: fastPolicy({ reminders: [] }) });
  await stack.journeys.open(open.caseId, request(open));
  const later = await stack.journeys.send(open.caseId, request({ type: 'set_release_date', expectedReleaseAt: inSeconds(7200), reason: 'ny beräkning' }));
  expect(Date.parse(later.state.interventions[0]!.dueAt!)).toBe(Date.parse(later.state.expectedReleaseAt!) - 20_000);
  const earlier = await stack.journeys.send(open.caseId, request({ type: 'set_release_date', expectedReleaseAt: inSeconds(21), reason: 'ändrad dom' }));
  const dueAt = Date.parse(earlier.state.interventions[0]!.dueAt!);
  const alert = await eventually(async () => {
    const rows = (await alertsOf(open.caseId)).filter((a) => a.kind === 'intervention_overdue' && a.level === 1);
    expect(rows).toHaveLength(1);
    return rows[0];
  });
  expect(alert.raised_at.getTime()).toBeGreaterThanOrEqual(dueAt);
  expect(alert.raised_at.getTime() - dueAt).toBeLessThan(1500);
  await stack.journeys.send(open.caseId, request({ type: 'set_release_date', expectedReleaseAt: inSeconds(7200), reason: 'överklagad' }, coordinator));
  await eventually(async () => {
    expect((await alertsOf(open.caseId)).find((a) => a.level === 1)?.status).toBe('resolved');
  });
});
