import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { dataConverterFor } from '../../config/payload-codec';
import { createTestDatabase } from '../../dev/database';
import { eventually } from '../../dev/eventually';
import { eagerActivityStarts } from '../../dev/temporal-metrics';
import { openCommand, request } from '../../dev/fixtures';
import { startDevServer, type DevServer } from '../../scripts/dev-server';
import { freePort } from '../../scripts/free-port';
import { resolveTemporalCli } from '../../scripts/temporal-cli';
import { startWorkerProcess, type WorkerProcess } from '../support/worker-process';

/**
 * Issue 20: a command's append is handed to the worker in the answer to the workflow task that
 * scheduled it (eager activity execution), not queued for the worker's next poll. The server
 * counts every activity it starts that way.
 */
describe('a command appends through an activity the server starts eagerly', () => {
  let dir: string;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let server: DevServer | undefined;
  let worker: WorkerProcess | undefined;
  let connection: Connection | undefined;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'eager-append-'));
    db = await createTestDatabase({ migrated: true });
  });
  afterAll(async () => {
    await worker?.kill();
    await connection?.close().catch(() => undefined);
    await server?.stop();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('opening a case and planning on it start their appends eagerly', async () => {
    const metricsPort = await freePort();
    server = await startDevServer({ cli: resolveTemporalCli(), port: await freePort(), metricsPort });
    const taskQueue = 'eager-append';
    worker = await startWorkerProcess({ temporalAddress: server.address, databaseUrl: db.url, taskQueue });
    connection = await Connection.connect({ address: server.address });
    const journeys = new JourneyClient(new Client({ connection, dataConverter: dataConverterFor(process.env.PAYLOAD_KEYS) }), taskQueue, readCaseFrom(db.pool));

    const open = openCommand({ releaseInSeconds: 3600 });
    await journeys.open(open.caseId, request(open));
    await journeys.send(open.caseId, request({ type: 'record_meeting', agencyIds: [] }));
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE stream_id = $1', [open.caseId]);
    expect(rows[0]!.n).toBeGreaterThan(1);
    // Two commands, two appends (a workflow task may also hand over the delivery of a reminder).
    // The server's metrics reach its exporter about once a second.
    await eventually(async () => expect(await eagerActivityStarts(metricsPort, taskQueue)).toBeGreaterThanOrEqual(2), 10_000, 250);
  }, 120_000);
});
