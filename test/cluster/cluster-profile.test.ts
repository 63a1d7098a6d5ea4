import { Client, Connection } from '@temporalio/client';
import { expectedReleaseKey, openGapCountKey, phaseKey } from '../../workflows/search-attributes';
import { startClusterStack, type ClusterStack } from '../support/cluster-stack';
import { eventually } from '../support/eventually';
import { directory } from '../support/fixtures';

/**
 * The cluster profile end to end: the real Temporal server on PostgreSQL, two workers and two
 * APIs as separate processes over one database. What one API writes, the other reads; the
 * namespace and search attributes the project made itself answer a visibility query.
 */
let s: ClusterStack;
let connection: Connection | undefined;
const startedAt = Date.now();

beforeAll(async () => {
  s = await startClusterStack();
  console.error(`cluster stack up (Temporal, 2 workers, 2 APIs) in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(async () => {
  await connection?.close();
  await s?.close();
}, 120_000);

test('every process is its own OS process, and both APIs are ready', async () => {
  const pids = s.all().map((p) => p.pid);
  expect(pids).toHaveLength(5);
  expect(new Set(pids).size).toBe(5);
  for (const pid of pids) expect(() => process.kill(pid!, 0)).not.toThrow();
  expect(s.postgres.pid()).toEqual(expect.any(Number));
  for (const i of [0, 1]) {
    const ready = await s.call(i, 'GET', '/readyz');
    expect(ready.status).toBe(200);
  }
});

test('a case opened through one API is read through the other, and found by a visibility query on the project search attributes', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  for (const { agencyId, ...body } of directory) {
    expect((await s.call(0, 'PUT', `/v1/agencies/${agencyId}`, { token: admin, body })).status).toBe(200);
  }
  const coordinator = await s.token({ sub: 'anna', role: 'coordinator', agencyId: 'kvv-gbg' });
  const social = await s.token({ sub: 'sven', role: 'agency', agencyId: 'sot-1480' });
  const release = new Date(Date.now() + 30 * 86_400_000);
  const opened = await s.call(0, 'POST', '/v1/cases', {
    token: coordinator,
    headers: { 'idempotency-key': 'cluster-walk-1' },
    body: {
      client: { name: 'Klient Exempel', municipality: '1480' }, phase: 'anstalt', admittedAt: '2026-01-10T08:00:00Z',
      expectedReleaseAt: release.toISOString(), riskLevel: 'medium', needs: ['boende'], consent: { agencyIds: ['sot-1480'] },
    },
  });
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;

  const read = await s.call(1, 'GET', `/v1/cases/${caseId}`, { token: coordinator });
  expect(read.status).toBe(200);
  expect(read.body).toEqual(expect.objectContaining({ caseId, phase: 'anstalt' }));
  const inbox = await s.call(1, 'GET', '/v1/tasks', { token: social });
  expect(inbox.body.items).toEqual([expect.objectContaining({ caseId, interventionId: 'i1', area: 'boende' })]);

  connection = await Connection.connect({ address: s.temporalAddress });
  const client = new Client({ connection, namespace: 'default' });
  const query = `WorkflowType = 'clientJourney' AND ${phaseKey.name} = 'anstalt' AND ${expectedReleaseKey.name} > '${new Date().toISOString()}'`;
  // Visibility is written by the history service's queue a moment after the case's first task.
  const found = await eventually(async () => {
    const list = [];
    for await (const wf of client.workflow.list({ query })) list.push(wf);
    expect(list.map((wf) => wf.workflowId)).toEqual([`case-${caseId}`]);
    return list[0]!;
  }, 30_000, 500);
  expect(found.typedSearchAttributes.get(phaseKey)).toBe('anstalt');
  expect(found.typedSearchAttributes.get(openGapCountKey)).toEqual(expect.any(Number));
  expect(found.typedSearchAttributes.get(expectedReleaseKey)?.toISOString()).toBe(release.toISOString());
}, 120_000);

test('the handles a fault test needs: a worker, an API and the Temporal server killed by PID start again; PostgreSQL paused and resumed', async () => {
  const [worker] = s.workers;
  const api = s.apis[1]!;
  const killedWorker = worker!.pid!;
  process.kill(killedWorker, 'SIGKILL');
  await worker!.kill(); // waits for the exit the signal caused
  expect(worker!.running()).toBe(false);
  await worker!.start();
  expect(worker!.pid).not.toBe(killedWorker);

  await api.kill();
  expect((await fetch(`${s.apiUrls[1]}/healthz`).catch(() => undefined))?.status).toBeUndefined();
  await api.start();
  expect((await s.call(1, 'GET', '/readyz')).status).toBe(200);

  s.postgres.pause();
  try {
    const paused = await s.call(0, 'GET', '/readyz');
    expect(paused.status).toBe(503);
  } finally {
    s.postgres.resume();
  }
  await eventually(async () => expect((await s.call(0, 'GET', '/readyz')).status).toBe(200), 20_000, 250);

  const killedServer = s.temporal.pid!;
  await s.temporal.kill();
  expect(() => process.kill(killedServer, 0)).toThrow();
  await s.temporal.start();
  await eventually(async () => expect((await s.call(0, 'GET', '/readyz')).status).toBe(200), 30_000, 250);
}, 300_000);
