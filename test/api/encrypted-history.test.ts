import { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { dataConverterFor } from '../../config/payload-codec';
import { newPayloadKeys } from '../../config/payload-keys';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { caseWorkflowId } from '../../workflows/messages';
import { request } from '../../dev/fixtures';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, openCase, settle, type Call } from './support';

/**
 * Issue 15, part 1: what people type about a client is encrypted in Temporal (PayloadCodec,
 * AES-256-GCM). The raw history, read through the plain gRPC API, holds none of it; an operator
 * reads it through the codec endpoint; a rotated key set still reads the old payloads.
 */
let s: ApiTestStack;
let call: Call;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
});
afterAll(async () => {
  await s?.close();
});

const TEXTS = ['Hyreskontrakt hos Bostadsbolaget', 'Klienten vill bo nära sin dotter', 'Vill inte till behandlingshemmet', 'Ny insats: mentor i Angered'];
const NAME = 'Greta Hemligsson';

/** Every payload in the history, as the server stores it (no codec involved). */
async function rawPayloads(workflowId: string): Promise<temporal.api.common.v1.IPayload[]> {
  const res = await s.client.connection.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
  const found: temporal.api.common.v1.IPayload[] = [];
  const walk = (x: unknown) => {
    if (!x || typeof x !== 'object') return;
    if (x instanceof Uint8Array) return;
    if ('data' in x && 'metadata' in x && (x as { data?: unknown }).data instanceof Uint8Array) found.push(x as temporal.api.common.v1.IPayload);
    for (const v of Object.values(x)) walk(v);
  };
  walk(res.history);
  return found;
}
const asJson = (p: temporal.api.common.v1.IPayload) => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

test('the raw history holds none of the typed texts nor the name; the codec endpoint shows them to operators only', async () => {
  const coordinator = await s.token({ sub: 'anna-enc', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'sven-enc', role: 'agency', agencyId: 'sot-1480' });
  const c = await openCase({ call, pool: s.pool }, coordinator, { client: { name: NAME, municipality: '1480' }, clientView: TEXTS[1] });
  expect((await call('POST', `/v1/cases/${c.caseId}/interventions/i1/complete`, { token: social, body: { note: TEXTS[0] } })).status).toBe(200);
  expect((await call('POST', `/v1/cases/${c.caseId}/interventions/i2/decline`, { token: coordinator, body: { reason: TEXTS[2] } })).status).toBe(200);
  expect((await call('POST', `/v1/cases/${c.caseId}/interventions`, { token: coordinator, body: { area: 'natverk', title: TEXTS[3], requiredBeforeRelease: false } })).status).toBe(201);
  await settle(s.pool, c.caseId);

  const payloads = await rawPayloads(caseWorkflowId(c.caseId));
  expect(payloads.length).toBeGreaterThan(10);
  const raw = payloads.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8')).join('\n');
  for (const t of [...TEXTS, NAME, 'Greta']) expect(raw).not.toContain(t);
  // In the clear stay only what the server itself must read: search attributes (phase, dates,
  // gap count, policy id, the patches a run has seen) and the SDK's patch markers (patch ids).
  const clear = payloads.filter((p) => Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString() !== 'binary/encrypted');
  const clearTexts = clear.map((p) => Buffer.from(p.data ?? new Uint8Array()).toString('utf8'));
  for (const t of clearTexts) expect(t).toMatch(/^("(hakte|anstalt|utslussning|frigiven|avslutad|default|test)"|"\d{4}-\d\d-\d\dT[\d:.]+Z"|\d+|null|\{"id":"[a-z0-9-]+","deprecated":false\}|\[("[a-z0-9-]+",?)+\])$/);
  expect(payloads.length - clear.length).toBeGreaterThan(10);

  const body = { payloads: payloads.map(asJson) };
  const operator = await s.token({ sub: 'ops-1', role: 'operator' });
  const decoded = await call('POST', '/codec/decode', { token: operator, body });
  expect(decoded.status).toBe(200);
  const plain = (decoded.body.payloads as { data: string }[]).map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
  for (const t of TEXTS) expect(plain).toContain(t);
  // The name is not in Temporal at all, encrypted or not: it lives in the erasable identity table.
  expect(plain).not.toContain(NAME);
  const logged = await s.pool.query(`SELECT count(*)::int AS n FROM audit_reads WHERE user_id = 'ops-1' AND what = 'codec-decode'`);
  expect(logged.rows[0].n).toBe(1);

  // Everyone else: refused, and so sees only the ciphertext of the raw history.
  expect((await call('POST', '/codec/decode', { body })).status).toBe(401);
  for (const role of ['admin', 'coordinator', 'supervisor']) {
    const other = await s.token({ sub: `x-${role}`, role, ...(role === 'admin' ? {} : { agencyId: 'kvv-gbg' }) });
    expect((await call('POST', '/codec/decode', { token: other, body })).status).toBe(403);
  }
  // Bad input is named.
  const bad = await call('POST', '/codec/decode', { token: operator, body: { payloads: [{ metadata: { encoding: '!!' }, data: '' }] } });
  expect(bad.status).toBe(400);
  expect(bad.body.errors[0].path).toBe('payloads.0.metadata.encoding');
});

test('keys rotate without downtime: a worker and client with a new first key go on with a running case', async () => {
  const coordinator = await s.token({ sub: 'anna-rot', role: 'coordinator', agencyId: 'kvv-gbg' });
  const c = await openCase({ call, pool: s.pool }, coordinator);
  const rotated = `${newPayloadKeys('rotated')},${process.env.PAYLOAD_KEYS}`;
  await s.stopWorker();
  await s.startWorker({ dataConverter: dataConverterFor(rotated) });
  try {
    const journeys = new JourneyClient(new Client({ connection: s.client.connection, dataConverter: dataConverterFor(rotated) }), s.taskQueue, readCaseFrom(s.pool));
    const r = await journeys.send(c.caseId, request({ type: 'record_meeting', agencyIds: [] }, { sub: 'anna-rot', role: 'coordinator', agencyId: 'kvv-gbg' }));
    expect(r.state.meetings).toHaveLength(1);
    const ids = new Set((await rawPayloads(caseWorkflowId(c.caseId))).map((p) => Buffer.from(p.metadata?.['encryption-key-id'] ?? new Uint8Array()).toString()));
    expect(ids.has('rotated')).toBe(true);
    expect(ids.has(process.env.PAYLOAD_KEYS!.split(':')[0]!)).toBe(true);
  } finally {
    await s.stopWorker();
    await s.startWorker();
  }
});
