import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { dataConverterFor } from '../../config/payload-codec';
import { temporalConnectionOptions } from '../../config/temporal-connection';
import { runWorker, type RunningWorker } from '../../worker/run-worker';
import { writeWorkflowBundle } from '../../worker/workflow-bundle';
import { createTestDatabase } from '../../dev/database';
import { fastPolicy, openCommand, request } from '../../dev/fixtures';
import { workerEnv } from '../support/worker-env';
import { eventsAfter } from './event-log';
import { eventually } from '../../dev/eventually';

/**
 * WORKFLOW_BUNDLE: a worker that loads the bundle `npm run build:workflows` wrote runs the real
 * case workflow from it, timers included (the cluster profile starts its workers this way).
 */
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let dir: string;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  db = await createTestDatabase({ migrated: true });
  dir = mkdtempSync(path.join(tmpdir(), 'glappfri-bundle-'));
}, 60_000);

afterAll(async () => {
  await worker?.shutdown();
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
});

test('a worker started with WORKFLOW_BUNDLE runs a case from the prebuilt bundle, deadline alerts included', async () => {
  const file = path.join(dir, 'workflow-bundle.js');
  const written = await writeWorkflowBundle(file);
  expect(statSync(file).size).toBe(written.bytes);
  expect(written.bytes).toBeGreaterThan(100_000);

  const env = workerEnv(db.url, { WORKFLOW_BUNDLE: file });
  worker = await runWorker(env, db.pool, undefined, () => undefined);
  const connection = await Connection.connect(temporalConnectionOptions(env));
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
    const journeys = new JourneyClient(client, env.TEMPORAL_TASK_QUEUE, readCaseFrom(db.pool));
    // Housing is due 20 s before a release 24 s away: the timer fires in the bundled code 4 s in.
    const open = openCommand({ releaseInSeconds: 24, policy: fastPolicy({ reminders: [] }) });
    await journeys.open(open.caseId, request(open));
    await eventually(async () => {
      const types = (await eventsAfter(db.pool, open.caseId)).map((e) => e.type);
      expect(types).toContain('AlertRaised');
    }, 30_000, 250);
  } finally {
    await connection.close();
  }
}, 90_000);

test('a bundle file that is not there stops the worker with the path', async () => {
  const env = workerEnv(db.url, { WORKFLOW_BUNDLE: path.join(dir, 'missing.js') });
  await expect(runWorker(env, db.pool, undefined, () => undefined)).rejects.toThrow(/missing\.js/);
}, 30_000);
