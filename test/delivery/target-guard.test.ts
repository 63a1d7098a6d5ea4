import dns from 'node:dns';
import { isIP } from 'node:net';
import type { Pool } from 'pg';
import {
  addressAllowed, checkedAddress, REFUSAL_TEXT, TargetRefused, urlRefusal, webhookTargetRules, type HostLookup, type WebhookTargetRules,
} from '../../activities/delivery/target-guard';
import { postWebhook } from '../../activities/delivery/webhook';
import { FAILURE_TEXT } from '../../activities/delivery/webhook-failures';
import { subscriptionRoutes } from '../../api/routes/subscriptions';
import { buildTestServer, testEnv } from '../api-framework/harness';
import { startWebhookReceiver, type WebhookReceiver } from './support';

/*
 * The webhook target rules without a stack. Nothing here leaves 127.0.0.1: names are resolved by
 * resolvers the tests pass in, and any real DNS query fails the test (`realLookups`).
 */

const PUBLIC_ONLY: WebhookTargetRules = { allowPrivate: false, requireHttps: false };
const CLOSED_NETWORK: WebhookTargetRules = { allowPrivate: true, requireHttps: false };

const realLookups: string[] = [];
let receiver: WebhookReceiver;

beforeAll(async () => {
  const real = dns.lookup;
  jest.spyOn(dns, 'lookup').mockImplementation(((host: string, _opts: unknown, cb?: unknown) => {
    // An address literal (a server listening on 127.0.0.1) is answered without any query.
    if (isIP(host)) return (real as (...a: unknown[]) => void)(host, _opts, cb);
    realLookups.push(host);
    const callback = (typeof _opts === 'function' ? _opts : cb) as (e: Error) => void;
    callback(Object.assign(new Error('real DNS is not used in tests'), { code: 'ENOTFOUND' }));
  }) as never);
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
  jest.restoreAllMocks();
});
afterEach(() => expect(realLookups).toEqual([]));

/** A resolver that knows the given names and records who asked. */
function fakeLookup(names: Record<string, string[]>): HostLookup & { asked: string[] } {
  const asked: string[] = [];
  const fn = async (host: string) => {
    asked.push(host);
    const addresses = names[host];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(fn, { asked });
}

const INTERNAL = [
  '127.0.0.1', '127.8.9.10', '::1', '169.254.169.254', 'fe80::1', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.1.1',
  'fc00::1', 'fd12:3456::1', '0.0.0.0', '::', '100.64.0.1', '224.0.0.1', '255.255.255.255', 'ff02::1',
  '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '64:ff9b::7f00:1',
];

test('internal addresses are refused, public ones allowed', () => {
  for (const a of INTERNAL) expect([a, addressAllowed(a, PUBLIC_ONLY)]).toEqual([a, false]);
  for (const a of ['93.184.215.14', '8.8.8.8', '172.32.0.1', '2a00:1450:4001::1', '::ffff:93.184.215.14']) {
    expect([a, addressAllowed(a, PUBLIC_ONLY)]).toEqual([a, true]);
  }
});

test('WEBHOOK_ALLOW_PRIVATE opens private ranges and loopback, never link-local, unspecified or multicast', () => {
  for (const a of ['10.0.0.1', '172.16.5.4', '192.168.1.1', 'fd12::1', '100.64.0.1', '127.0.0.1', '::1', '::ffff:10.0.0.1']) {
    expect([a, addressAllowed(a, CLOSED_NETWORK)]).toEqual([a, true]);
  }
  for (const a of ['169.254.169.254', '::ffff:169.254.169.254', 'fe80::1', '0.0.0.0', '::', '224.0.0.1', '255.255.255.255']) {
    expect([a, addressAllowed(a, CLOSED_NETWORK)]).toEqual([a, false]);
  }
});

test('a URL is judged by its scheme and its literal host, without any lookup', () => {
  for (const url of [
    'http://127.0.0.1/hook', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/', 'http://[::1]/', 'http://localhost/',
    'http://LOCALHOST./x', 'http://hooks.localhost:8080/', 'http://[::ffff:127.0.0.1]/', 'http://2130706433/', 'http://0x7f.1/',
    'http://0.0.0.0:8080/', 'http://[fd00::1]/', 'http://100.64.0.1/',
  ]) {
    expect([url, urlRefusal(url, PUBLIC_ONLY)]).toEqual([url, 'internal-address']);
  }
  expect(urlRefusal('http://hooks.example.se/x', PUBLIC_ONLY)).toBeNull();
  expect(urlRefusal('http://localhost:8080/', CLOSED_NETWORK)).toBeNull();
  expect(urlRefusal('http://169.254.169.254/', CLOSED_NETWORK)).toBe('internal-address');
  const prod = webhookTargetRules({ AUTH_MODE: 'jwks', WEBHOOK_ALLOW_PRIVATE: false });
  expect(urlRefusal('http://hooks.example.se/x', prod)).toBe('https-required');
  expect(urlRefusal('https://hooks.example.se/x', prod)).toBeNull();
  expect(urlRefusal('http://hooks.example.se/x', webhookTargetRules({ AUTH_MODE: 'dev', WEBHOOK_ALLOW_PRIVATE: false }))).toBeNull();
});

test('at send time every resolved address must be allowed, and the checked one is the one used', async () => {
  const lookup = fakeLookup({
    'rebind.example.test': ['93.184.215.14', '127.0.0.1'],
    'metadata.example.test': ['::ffff:169.254.169.254'],
    'public.example.test': ['93.184.215.14', '2a00:1450:4001::1'],
  });
  await expect(checkedAddress('https://rebind.example.test/x', PUBLIC_ONLY, lookup)).rejects.toThrow(REFUSAL_TEXT['resolves-internal']);
  await expect(checkedAddress('https://metadata.example.test/x', CLOSED_NETWORK, lookup)).rejects.toBeInstanceOf(TargetRefused);
  await expect(checkedAddress('https://public.example.test/x', PUBLIC_ONLY, lookup)).resolves.toEqual({ address: '93.184.215.14', family: 4 });
  // A literal internal address is refused without asking the resolver.
  await expect(checkedAddress('http://10.0.0.1/x', PUBLIC_ONLY, lookup)).rejects.toThrow(REFUSAL_TEXT['internal-address']);
  expect(lookup.asked).toEqual(['rebind.example.test', 'metadata.example.test', 'public.example.test']);
});

const request = (url: string, rules: WebhookTargetRules, lookup?: HostLookup) => postWebhook({
  url, secret: 'a-secret-of-some-length', deliveryId: 'd-1', eventType: 'alert', body: '{}', attempt: 1, timeoutMs: 2000, rules,
  ...(lookup ? { lookup } : {}),
});

test('a name that resolves to loopback is refused before any connection', async () => {
  const port = new URL(receiver.url).port;
  const lookup = fakeLookup({ 'hooks.agency.test': ['127.0.0.1'] });
  await expect(request(`http://hooks.agency.test:${port}/hooks/glappfri`, PUBLIC_ONLY, lookup)).rejects.toThrow(
    new TargetRefused('resolves-internal'),
  );
  await expect(request(`http://127.0.0.1:${port}/hooks/glappfri`, PUBLIC_ONLY, lookup)).rejects.toBeInstanceOf(TargetRefused);
  expect(receiver.requests).toEqual([]);

  // Allowed, it goes to the address the resolver gave (the name exists nowhere else), with the name as Host.
  await request(`http://hooks.agency.test:${port}/hooks/glappfri`, CLOSED_NETWORK, lookup);
  expect(receiver.requests.map((r) => r.headers.host)).toEqual([`hooks.agency.test:${port}`]);
  expect(lookup.asked).toEqual(['hooks.agency.test', 'hooks.agency.test']);
});

test('failures are told in a few words that name no address', async () => {
  // A port nothing listens on: the receiver's own, once it is closed.
  const gone = await startWebhookReceiver();
  const port = new URL(gone.url).port;
  await gone.close();
  const lookup = fakeLookup({ 'hooks.agency.test': ['127.0.0.1'] });
  const failure = (p: Promise<void>) => p.then(() => 'delivered', (e: Error) => [e.constructor.name, e.message]);
  expect(await failure(request(`http://hooks.agency.test:${port}/x`, CLOSED_NETWORK, lookup))).toEqual(['WebhookFailed', FAILURE_TEXT.unreachable]);
  expect(await failure(request(`http://127.0.0.1:${port}/x`, CLOSED_NETWORK))).toEqual(['WebhookFailed', FAILURE_TEXT.unreachable]);
  expect(await failure(request('http://nowhere.agency.test/x', CLOSED_NETWORK, lookup))).toEqual(['WebhookFailed', FAILURE_TEXT.unresolved]);
});

test('outside dev mode the API refuses an http webhook with 400 naming the field', async () => {
  const env = testEnv({ AUTH_MODE: 'jwks', AUTH_JWKS_URL: 'https://idp.example.se/jwks.json', AUTH_ISSUER: 'https://idp.example.se', AUTH_AUDIENCE: 'glappfri-api' });
  const { app } = await buildTestServer({
    env,
    authenticator: { mode: 'jwks', verify: async () => ({ sub: 'admin', role: 'admin', agencyId: null }) },
    // The rules are checked before the agency is looked up: no database needed, none touched.
    registerRoutes: async (a) => {
      await a.register(subscriptionRoutes, { pool: undefined as unknown as Pool, webhookTargets: webhookTargetRules(env) });
    },
  });
  try {
    const res = await app.inject({
      method: 'PUT', url: '/v1/agencies/sot-1480/subscriptions', headers: { authorization: 'Bearer x.y.z' },
      payload: { webhooks: [{ url: 'https://hooks.example.se/a', secret: 'a-secret-of-some-length' }, { url: 'http://hooks.example.se/b', secret: 'a-secret-of-some-length' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: 'webhooks.1.url', message: REFUSAL_TEXT['https-required'] }]);
  } finally {
    await app.close();
  }
});
