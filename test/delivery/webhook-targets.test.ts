import dns from 'node:dns';
import { isIP } from 'node:net';
import { deliverySettingsFromEnv } from '../../activities/delivery/settings';
import type { HostLookup } from '../../activities/delivery/target-guard';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';
import { openCase, setEnv, startWebhookReceiver, type WebhookReceiver } from './support';

/*
 * The target rules through the real API and worker, as an agency on the internet would have
 * them: WEBHOOK_ALLOW_PRIVATE off (the other delivery tests turn it on for their 127.0.0.1
 * receivers). Traffic stays on 127.0.0.1; names are resolved by a resolver given to the worker,
 * and any real DNS query fails the test.
 */

const SECRET = 'whsec-test-0123456789abcdef';
const HOST = 'hooks.agency.test';

let s: ApiTestStack;
let receiver: WebhookReceiver;
let restoreEnv: () => void;
const realLookups: string[] = [];
const asked: string[] = [];
/** The agency's receiver name points at this machine, as a rebinding attacker's would. */
const lookup: HostLookup = async (host) => {
  asked.push(host);
  if (host !== HOST) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return [{ address: '127.0.0.1', family: 4 }];
};

beforeAll(async () => {
  const real = dns.lookup;
  jest.spyOn(dns, 'lookup').mockImplementation(((host: string, opts: unknown, cb?: unknown) => {
    if (isIP(host)) return (real as (...a: unknown[]) => void)(host, opts, cb);
    realLookups.push(host);
    ((typeof opts === 'function' ? opts : cb) as (e: Error) => void)(Object.assign(new Error('no real DNS in tests'), { code: 'ENOTFOUND' }));
  }) as never);
  receiver = await startWebhookReceiver();
  restoreEnv = setEnv({ WEBHOOK_ALLOW_PRIVATE: 'false', DIGEST_INTERVAL: 'off', PUBLIC_BASE_URL: 'https://glappfri.example.se' });
  s = await startApiTestStack();
  await s.stopWorker();
  await s.startWorker({ delivery: { ...deliverySettingsFromEnv({ ...process.env, AUTH_MODE: 'dev' }), lookup } });
});
afterAll(async () => {
  await s?.close();
  await receiver?.close();
  restoreEnv?.();
  jest.restoreAllMocks();
});
afterEach(() => expect(realLookups).toEqual([]));

test('saving a webhook to an internal address or localhost is refused with 400, with no traffic', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const path = '/v1/agencies/sot-1480/subscriptions';
  const port = new URL(receiver.url).port;
  for (const url of [
    `http://127.0.0.1:${port}/hooks/glappfri`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/hook', 'http://[::1]/',
    `http://localhost:${port}/`, 'http://[::ffff:127.0.0.1]/', 'http://0.0.0.0/', 'http://192.168.1.10/', 'http://100.64.0.1/',
  ]) {
    const r = await s.call('PUT', path, { token: admin, body: { webhooks: [{ url: 'https://hooks.example.se/ok', secret: SECRET }, { url, secret: SECRET }] } });
    expect([url, r.status]).toEqual([url, 400]);
    expect(r.body.errors).toEqual([{ path: 'webhooks.1.url', message: 'the target is not allowed: it is an internal address' }]);
  }
  expect((await s.call('GET', path, { token: admin })).body.webhooks).toEqual([]);
  expect(receiver.requests).toEqual([]);
  expect(asked).toEqual([]);
});

test('a name that resolves to loopback is refused at send time before any connection, and the admin reads a generic reason', async () => {
  const admin = await s.token({ sub: 'admin', role: 'admin' });
  const url = `http://${HOST}:${new URL(receiver.url).port}/hooks/glappfri`;
  // The name is not an address: saving cannot tell, sending does.
  const put = await s.call('PUT', '/v1/agencies/sot-1480/subscriptions', { token: admin, body: { webhooks: [{ url, secret: SECRET, levels: [1] }] } });
  expect(put.status).toBe(200);
  const { caseId } = await openCase(s, { dueInSeconds: 2, key: 'refused' });

  await eventually(async () => {
    const r = await s.pool.query(`SELECT status, last_error FROM deliveries WHERE case_id = $1`, [caseId]);
    expect(r.rows).toEqual([{ status: 'cancelled', last_error: 'the target is not allowed: it resolves to an internal address' }]);
  }, 40_000, 200);
  expect(asked).toContain(HOST);
  expect(receiver.requests).toEqual([]);

  const listed = await s.call('GET', '/v1/agencies/sot-1480/deliveries', { token: admin });
  expect(listed.body.items).toEqual([expect.objectContaining({
    caseId, status: 'cancelled', lastError: 'the target is not allowed: it resolves to an internal address',
  })]);
  expect(JSON.stringify(listed.body)).not.toContain('127.0.0.1');
});

test('with WEBHOOK_ALLOW_PRIVATE the same receiver gets its delivery, at the address that was checked', async () => {
  await s.stopWorker();
  await s.startWorker({ delivery: { ...deliverySettingsFromEnv({ ...process.env, AUTH_MODE: 'dev', WEBHOOK_ALLOW_PRIVATE: 'true' }), lookup } });
  const { caseId } = await openCase(s, { dueInSeconds: 2, key: 'allowed' });
  await eventually(async () => {
    const r = await s.pool.query(`SELECT status FROM deliveries WHERE case_id = $1`, [caseId]);
    expect(r.rows).toEqual([{ status: 'delivered' }]);
  }, 40_000, 200);
  // The name exists only in the injected resolver: the request reached 127.0.0.1 through the pinned address.
  expect(receiver.requests.map((r) => r.headers.host)).toEqual([`${HOST}:${new URL(receiver.url).port}`]);
});
