import { connect as netConnect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type TLSSocket } from 'node:tls';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { ConfigError } from '../../config/env';
import { dataConverterFor } from '../../config/payload-codec';
import { temporalConnectionOptions } from '../../config/temporal-connection';
import { runWorker, type RunningWorker } from '../../worker/run-worker';
import { createTestDatabase } from '../../dev/database';
import { openCommand, request } from '../../dev/fixtures';
import { workerEnv } from '../support/worker-env';
import { eventsAfter } from './event-log';

/**
 * mTLS to Temporal (TEMPORAL_TLS_CERT/KEY/CA/SERVER_NAME), end to end: the real worker and the
 * real client reach the dev server only through a TLS front that demands a client certificate
 * signed by the test CA, as a self-hosted cluster with `requireClientAuth` or Temporal Cloud's
 * mTLS does. The certificates in test/fixtures/tls are made up, for this test only (the CA's key
 * was thrown away); the server's name is temporal.test, so the name override is needed too.
 */
const TLS_DIR = path.join(__dirname, '..', 'fixtures', 'tls');
const file = (name: string) => path.join(TLS_DIR, name);

let front: Server;
let frontAddress: string;
const handshakes: { authorized: boolean; clientName?: string }[] = [];
let db: Awaited<ReturnType<typeof createTestDatabase>>;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const [upstreamHost, upstreamPort] = process.env.TEST_TEMPORAL_ADDRESS!.split(':') as [string, string];
  front = createServer(
    {
      key: readFileSync(file('server.key')),
      cert: readFileSync(file('server.crt')),
      ca: readFileSync(file('ca.crt')),
      requestCert: true,
      rejectUnauthorized: true,
      ALPNProtocols: ['h2'],
    },
    (socket: TLSSocket) => {
      const peer = socket.getPeerCertificate();
      const cn = peer?.subject?.CN;
      handshakes.push({ authorized: socket.authorized, clientName: Array.isArray(cn) ? cn.join(',') : cn });
      // Behind the TLS front the dev server speaks plain HTTP/2, as a load balancer's backend would.
      const upstream = netConnect(Number(upstreamPort), upstreamHost);
      socket.pipe(upstream).pipe(socket);
      const close = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', close);
      upstream.on('error', close);
    },
  );
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  frontAddress = `127.0.0.1:${(front.address() as AddressInfo).port}`;
  db = await createTestDatabase({ migrated: true });
}, 60_000);

afterAll(async () => {
  await worker?.shutdown();
  await db?.drop();
  await new Promise((r) => front?.close(r));
});

const mtls = {
  TEMPORAL_TLS_CERT: file('client.crt'),
  TEMPORAL_TLS_KEY: file('client.key'),
  TEMPORAL_TLS_CA: file('ca.crt'),
  TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
};

const envFor = (extra: Record<string, string>) => workerEnv(db.url, { TEMPORAL_ADDRESS: frontAddress, ...extra });

test('a worker and a client with a client certificate run a case through a Temporal that demands one', async () => {
  const env = envFor(mtls);
  worker = await runWorker(env, db.pool, undefined, () => undefined);
  const connection = await Connection.connect(temporalConnectionOptions(env));
  try {
    const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
    const journeys = new JourneyClient(client, env.TEMPORAL_TASK_QUEUE, readCaseFrom(db.pool));
    const open = openCommand({ releaseInSeconds: 3600 });
    const opened = await journeys.open(open.caseId, request(open));
    expect(opened.version).toBeGreaterThanOrEqual(1);
    // The case ran on the worker behind the front: its events are in the log, its state answers.
    expect((await eventsAfter(db.pool, open.caseId)).map((e) => e.type)).toContain('CaseOpened');
    expect((await journeys.state(open.caseId))?.caseId).toBe(open.caseId);
  } finally {
    await connection.close();
  }
  // Every connection that got through presented the test CA's client certificate.
  expect(handshakes.length).toBeGreaterThanOrEqual(2);
  expect(handshakes.every((h) => h.authorized && h.clientName === 'glappfri-worker')).toBe(true);
}, 60_000);

test('without the client certificate the same Temporal refuses the connection', async () => {
  const env = envFor({ TEMPORAL_TLS_CA: mtls.TEMPORAL_TLS_CA, TEMPORAL_TLS_SERVER_NAME: mtls.TEMPORAL_TLS_SERVER_NAME });
  await expect(Connection.connect({ ...temporalConnectionOptions(env), connectTimeout: 5000 })).rejects.toThrow();
}, 30_000);

test('a certificate without its key, or a file that cannot be read, stops start-up naming the setting', () => {
  const env = envFor({ TEMPORAL_TLS_CERT: mtls.TEMPORAL_TLS_CERT });
  expect(() => temporalConnectionOptions(env)).toThrow(ConfigError);
  expect(() => temporalConnectionOptions(env)).toThrow(/TEMPORAL_TLS_KEY: mTLS needs both/);
  const missing = envFor({ ...mtls, TEMPORAL_TLS_CA: '/nonexistent/ca.pem' });
  expect(() => temporalConnectionOptions(missing)).toThrow(/TEMPORAL_TLS_CA: cannot read \/nonexistent\/ca.pem \(ENOENT\)/);
});
