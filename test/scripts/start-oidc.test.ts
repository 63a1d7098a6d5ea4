import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decodeJwt } from 'jose';
import { freePort } from '../../scripts/free-port';
import { adminTokenFrom, LOCAL_OIDC } from '../../scripts/local-idp/settings';
import { caller } from '../../dev/api-stack';
import { createTestDatabase } from '../../dev/database';

/**
 * `npm start -- --oidc`: the local stack with its own identity provider, and the API in jwks mode
 * trusting only it. What the README tells a developer to do works: the web interface is offered
 * the provider, and the administrator client's token (its secret kept in DATA_DIR) registers an
 * agency through the real API.
 */
const ROOT = path.resolve(__dirname, '../..');
let child: ChildProcess | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
afterAll(async () => {
  await stopStack();
  await dropDatabase?.();
});

async function stopStack() {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
  }
}

test('npm start -- --oidc starts a provider whose tokens the API accepts', async () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'start-oidc-'));
  // The run's Temporal and PostgreSQL (a database of its own), as with TEMPORAL_ADDRESS and DATABASE_URL set.
  const db = await createTestDatabase({ migrated: false });
  dropDatabase = () => db.drop();
  const ports = { API_PORT: await freePort(), LOCAL_IDP_PORT: await freePort() };
  const env: NodeJS.ProcessEnv = {
    ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn', TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, DATABASE_URL: db.url, TEMPORAL_TASK_QUEUE: `start-oidc-${ports.API_PORT}`,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  for (const k of ['PAYLOAD_KEYS', 'MASTER_KEYS', 'AUTH_DEV_SECRET', 'AUTH_MODE']) delete env[k];
  child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--oidc'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "API on" within 90 s:\n${output}`)), 90_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      if (output.includes('[start] API on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child?.stdout?.on('data', onData);
    child?.stderr?.on('data', onData);
    child?.once('exit', (code) => reject(new Error(`start exited (${code}):\n${output}`)));
  });
  const issuer = `http://127.0.0.1:${ports.LOCAL_IDP_PORT}`;
  expect(output).toContain(`identity provider (local, oidc-provider) on ${issuer}`);

  const call = caller(`http://127.0.0.1:${ports.API_PORT}`);
  const config = await call('GET', '/v1/auth/config');
  expect(config.body).toMatchObject({ mode: 'jwks', oidc: { issuer, clientId: LOCAL_OIDC.webClientId, resource: LOCAL_OIDC.resource } });
  // jwks mode: no dev tokens.
  expect((await call('POST', '/v1/dev/tokens', { body: { sub: 'x', role: 'admin' } })).status).toBe(404);

  const secretFile = path.join(dataDir, 'idp-admin-secret');
  expect(statSync(secretFile).mode & 0o777).toBe(0o600);
  const admin = await adminTokenFrom({ issuer }, { clientId: LOCAL_OIDC.adminClientId, clientSecret: readFileSync(secretFile, 'utf8').trim() });
  expect(decodeJwt(admin)).toMatchObject({ iss: issuer, aud: LOCAL_OIDC.audience, role: 'admin' });
  const put = await call('PUT', '/v1/agencies/kvv-gbg', { token: admin, body: { type: 'kriminalvarden', name: 'Kriminalvården Göteborg', municipalities: ['*'] } });
  expect(put.status).toBe(200);
  const listed = await call('GET', '/v1/agencies', { token: admin });
  expect(listed.body.items.map((a: { agencyId: string }) => a.agencyId)).toEqual(['kvv-gbg']);
}, 120_000);
