import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { compareCursors, parseCursor } from '../../store/log-order';
import { eventually } from '../../dev/eventually';
import { openCase, openEventStream, setEnv } from './support';

let s: ApiTestStack;
let restoreEnv: () => void;

beforeAll(async () => {
  restoreEnv = setEnv({ DIGEST_INTERVAL: 'off' });
  s = await startApiTestStack();
});
afterAll(async () => {
  await s?.close();
  restoreEnv?.();
});

test('the stream shows raised → acknowledged → resolved in order, and a reconnect with Last-Event-ID misses nothing', async () => {
  const boss = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const otherBoss = await s.token({ sub: 'per', role: 'supervisor', agencyId: 'af' });
  const url = `${s.api.url}/v1/alerts/stream`;

  const first = openEventStream(url, { authorization: `Bearer ${boss}` });
  const other = openEventStream(url, { authorization: `Bearer ${otherBoss}` });
  await eventually(async () => expect(first.status()).toBe(200));
  const { caseId } = await openCase(s, { dueInSeconds: 2, key: 'stream' });

  const raised = await eventually(async () => {
    const e = first.events.find((x) => JSON.parse(x.data).caseId === caseId);
    expect(e).toBeDefined();
    return e!;
  }, 20_000);
  expect(raised.event).toBe('alert');
  const alert = JSON.parse(raised.data);
  expect(alert).toEqual(expect.objectContaining({ caseId, kind: 'intervention_overdue', level: 1, agencyId: 'sot-1480', status: 'open' }));

  const ack = await s.call('POST', `/v1/alerts/${alert.alertId}/acknowledge`, { token: boss, headers: { 'idempotency-key': 'stream-ack' } });
  expect(ack.status).toBe(200);
  await eventually(async () => expect(first.events.map((e) => JSON.parse(e.data).status)).toEqual(['open', 'acknowledged']));
  const lastSeen = first.events[first.events.length - 1]!.id!;
  await first.close();

  // While nobody listens, the gap closes.
  const done = await s.call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: social, headers: { 'idempotency-key': 'stream-done' }, body: {} });
  expect(done.status).toBe(200);
  await eventually(async () => {
    const r = await s.pool.query(`SELECT status FROM alerts WHERE alert_id = $1`, [alert.alertId]);
    expect(r.rows[0].status).toBe('resolved');
  });

  const again = openEventStream(url, { authorization: `Bearer ${boss}`, 'last-event-id': lastSeen });
  await eventually(async () => expect(again.events.length).toBeGreaterThanOrEqual(1));
  await new Promise((r) => setTimeout(r, 1200));
  await again.close();

  const all = [...first.events, ...again.events];
  expect(all.map((e) => [JSON.parse(e.data).alertId, JSON.parse(e.data).status])).toEqual([
    [alert.alertId, 'open'], [alert.alertId, 'acknowledged'], [alert.alertId, 'resolved'],
  ]);
  // Ids are places in the feed ("tx.seq"): increasing, no repeats, and exactly the changes recorded.
  const ids = all.map((e) => e.id!);
  const inFeedOrder = [...ids].sort((a, b) => compareCursors(parseCursor(a)!, parseCursor(b)!));
  expect(ids).toEqual(inFeedOrder);
  expect(new Set(ids).size).toBe(ids.length);
  const recorded = await s.pool.query(`SELECT tx::text || '.' || seq::text AS id FROM alert_changes WHERE agency_id = 'sot-1480' ORDER BY tx, seq`);
  expect(ids).toEqual(recorded.rows.map((r: { id: string }) => r.id));

  // Another agency's supervisor saw none of it.
  await other.close();
  expect(other.events.filter((e) => JSON.parse(e.data).agencyId !== 'af')).toEqual([]);
});

test('a dashboard away while an alert is acknowledged and resolved gets each change as it was, in order', async () => {
  const boss = await s.token({ sub: 'sara', role: 'supervisor', agencyId: 'sot-1480' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const url = `${s.api.url}/v1/alerts/stream`;

  const first = openEventStream(url, { authorization: `Bearer ${boss}` });
  await eventually(async () => expect(first.status()).toBe(200));
  const { caseId } = await openCase(s, { dueInSeconds: 2, key: 'stream-away' });
  const raised = await eventually(async () => {
    const e = first.events.find((x) => JSON.parse(x.data).caseId === caseId);
    expect(e).toBeDefined();
    return e!;
  }, 20_000);
  await first.close();
  const alert = JSON.parse(raised.data);
  expect(alert.status).toBe('open');
  expect(alert).not.toHaveProperty('acknowledgedAt');
  expect(alert).not.toHaveProperty('resolvedAt');

  // Two changes while nobody listens.
  const ack = await s.call('POST', `/v1/alerts/${alert.alertId}/acknowledge`, { token: boss, headers: { 'idempotency-key': 'away-ack' } });
  expect(ack.status).toBe(200);
  const done = await s.call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: social, headers: { 'idempotency-key': 'away-done' }, body: {} });
  expect(done.status).toBe(200);
  await eventually(async () => {
    const r = await s.pool.query(`SELECT status FROM alerts WHERE alert_id = $1`, [alert.alertId]);
    expect(r.rows[0].status).toBe('resolved');
  });

  const again = openEventStream(url, { authorization: `Bearer ${boss}`, 'last-event-id': raised.id! });
  await eventually(async () => expect(again.events.filter((e) => JSON.parse(e.data).alertId === alert.alertId)).toHaveLength(2));
  await again.close();
  const replayed = again.events.map((e) => JSON.parse(e.data)).filter((a) => a.alertId === alert.alertId);
  expect(replayed.map((a) => a.status)).toEqual(['acknowledged', 'resolved']);
  // Each event is the alert as it was at that change, not as it is now.
  expect(replayed[0]).toEqual(expect.objectContaining({ acknowledgedAt: ack.body.acknowledgedAt }));
  expect(replayed[0]).not.toHaveProperty('resolvedAt');
  expect(replayed[1]).toEqual(expect.objectContaining({ acknowledgedAt: ack.body.acknowledgedAt, resolvedAt: expect.any(String) }));
  const recorded = await s.pool.query(`SELECT tx::text || '.' || seq::text AS id, status FROM alert_changes WHERE alert_id = $1 ORDER BY tx, seq`, [alert.alertId]);
  expect([raised, ...again.events.filter((e) => JSON.parse(e.data).alertId === alert.alertId)].map((e) => [e.id, JSON.parse(e.data).status]))
    .toEqual(recorded.rows.map((r: { id: string; status: string }) => [r.id, r.status]));
});
