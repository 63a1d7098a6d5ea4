import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { checkDevAuth } from '../config/dev-auth';
import { ConfigError, loadEnv } from '../config/env';
import { startApi } from '../api/start-api';
import { claimNamesOf } from '../api/token-claims';
import { migrate } from '../store/migrate';
import { createPool } from '../store/pool';
import { runWorker } from '../worker/run-worker';
import { startDevServer } from './dev-server';
import { ensureUiBuilt } from './build-ui';
import { startEmbeddedPostgres } from './embedded-postgres';
import { localDevSecret } from './local-dev-secret';
import { localMasterKeys, localPayloadKeys } from './local-payload-keys';
import { claimStackLock, portInUse } from './stack-lock';
import { apiEnvForStackIdp, localIdpPort, wantsOidc } from './local-idp/settings-for-stack';
import { LOCAL_USERS } from './local-idp/users';
import { startProfile } from './start-profile';
import { clusterPorts, startClusterProfile } from './start-cluster';
import { PROJECT_ROOT, resolveTemporalCli } from './temporal-cli';

const say = (line: string) => console.error(`[start] ${line}`);

/**
 * `npm start`: the whole local stack in one process tree. Temporal dev server (unless
 * TEMPORAL_ADDRESS), PostgreSQL (embedded unless DATABASE_URL), worker, and the API serving the
 * web interface, built first when ui/dist is missing or stale. Ctrl-C stops all of them in
 * reverse order; data stays in DATA_DIR for the next start. With `--oidc` (or START_AUTH=oidc)
 * also a local OpenID Connect provider (scripts/local-idp), and the API in jwks mode trusting it.
 *
 * `npm start -- --cluster` (or START_PROFILE=cluster): the real Temporal server on PostgreSQL
 * instead of the dev server, with two workers and two APIs as processes of their own
 * (scripts/start-cluster.ts).
 */
async function main() {
  const started = Date.now();
  const oidc = wantsOidc(process.argv.slice(2), process.env);
  let idpPort = 0;
  let env: ReturnType<typeof loadEnv>;
  let profile: ReturnType<typeof startProfile>;
  try {
    profile = startProfile(process.argv.slice(2).filter((a) => a !== '--oidc'), process.env);
    if (oidc && profile === 'cluster') throw new ConfigError('npm start: --oidc runs with the dev profile only; start the cluster profile without it');
    if (oidc) {
      idpPort = localIdpPort(process.env);
      // The provider's address is known before it starts, so the API's settings can be read at once.
      Object.assign(process.env, apiEnvForStackIdp(idpPort));
    } else {
      process.env.AUTH_MODE ??= 'dev';
    }
    env = loadEnv();
  } catch (err) {
    // A bad setting is the user's to fix: the message names the variable, a stack trace helps nobody.
    if (!(err instanceof ConfigError)) throw err;
    say(err.message);
    process.exit(1);
  }
  const dataDir = path.resolve(PROJECT_ROOT, env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  try {
    env.PAYLOAD_KEYS ??= localPayloadKeys(dataDir, say);
    env.MASTER_KEYS ??= localMasterKeys(dataDir, say);
    if (env.AUTH_MODE === 'dev') env.AUTH_DEV_SECRET ??= localDevSecret(dataDir, say);
    // Refused here, before Temporal and PostgreSQL start, rather than when the API is built.
    if (checkDevAuth(env).remoteForced) say(`WARNING: API_HOST=${env.API_HOST} with AUTH_MODE=dev: anyone who reaches the API can mint a token for any role`);
    if (profile === 'cluster' && env.TEMPORAL_ADDRESS) {
      throw new ConfigError('The cluster profile starts its own Temporal server: unset TEMPORAL_ADDRESS, or drop --cluster to use that cluster');
    }
    // The local Web UI (dev server's or the cluster profile's) decodes through the API's codec endpoint, from its own origin.
    if (env.CODEC_CORS_ORIGINS.length === 0 && !env.TEMPORAL_ADDRESS) {
      env.CODEC_CORS_ORIGINS = [`http://127.0.0.1:${env.TEMPORAL_UI_PORT}`, `http://localhost:${env.TEMPORAL_UI_PORT}`];
    }
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    say(err.message);
    process.exit(1);
  }
  const apiUrl = `http://127.0.0.1:${env.API_PORT}`;
  const lock = claimStackLock(dataDir, apiUrl);
  if (!lock.claimed) {
    say(`the local stack is already running (pid ${lock.pid}, ${lock.apiUrl}); stop it with Ctrl-C where it runs, or use another DATA_DIR and ports`);
    process.exit(1);
  }
  const taken = [
    ...(profile === 'dev'
      ? [['API_PORT', env.API_PORT], ...(env.TEMPORAL_ADDRESS ? [] : [['TEMPORAL_DEV_PORT', env.TEMPORAL_DEV_PORT], ['TEMPORAL_UI_PORT', env.TEMPORAL_UI_PORT]])]
      : clusterPortsInUse(env)),
    ...(env.DATABASE_URL ? [] : [['PG_PORT', env.PG_PORT]]),
    ...(oidc ? [['LOCAL_IDP_PORT', idpPort]] : []),
  ] as [string, number][];
  for (const [name, port] of taken) {
    if (await portInUse(port)) {
      lock.release();
      say(`port ${port} (${name}) is already in use by another program; stop it or set ${name} to a free port`);
      process.exit(1);
    }
  }
  // On every way out (Ctrl-C, a failed start, a crash): the next start must not think it runs.
  process.on('exit', () => lock.release());
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => say(`stop failed: ${String(e)}`));
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });

  if (profile === 'cluster') {
    try {
      const cluster = await startClusterProfile(env, { dataDir, say, stops, onCrash: () => void stopAll(1) });
      const ui = cluster.ui?.running() ? `, Web UI ${cluster.uiUrl}` : '';
      say(`cluster profile ready in ${((Date.now() - started) / 1000).toFixed(1)} s: Temporal ${cluster.temporalAddress}${ui}, APIs ${cluster.apiUrls.join(' and ')} (web interface on each). Ctrl-C stops everything.`);
    } catch (err) {
      say(err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err));
      await stopAll(1);
    }
    return;
  }

  try {
    // Built while Temporal and PostgreSQL start; a failed build still lets the API start.
    const uiBuilt = ensureUiBuilt(say);
    if (oidc) {
      // Loaded only here: plain `npm start` needs none of oidc-provider.
      const { startStackIdp } = await import('./local-idp/stack.js');
      const idp = await startStackIdp({ port: idpPort, apiPort: env.API_PORT, dataDir, claims: claimNamesOf(env) });
      stops.push(() => idp.close());
      say(`identity provider (local, oidc-provider) on ${idp.issuer}; sign in as ${LOCAL_USERS.map((u) => u.login).join(', ')} with any password`);
    }
    const [temporalAddress, databaseUrl] = await Promise.all([
      (async () => {
        if (env.TEMPORAL_ADDRESS) return env.TEMPORAL_ADDRESS;
        const server = await startDevServer({
          cli: resolveTemporalCli(say),
          port: env.TEMPORAL_DEV_PORT,
          uiPort: env.TEMPORAL_UI_PORT,
          dbFile: path.join(dataDir, 'temporal.db'),
          // The Web UI decodes payloads through the API's codec endpoint, for operators who sign in.
          uiCodecEndpoint: `http://127.0.0.1:${env.API_PORT}/codec`,
        });
        stops.push(() => server.stop());
        say(`Temporal dev server on ${server.address}, Web UI http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
        return server.address;
      })(),
      (async () => {
        if (env.DATABASE_URL) return env.DATABASE_URL;
        const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: env.PG_PORT, database: 'glappfri' });
        stops.push(() => pg.stop());
        say(`PostgreSQL (embedded) on 127.0.0.1:${env.PG_PORT}, data in ${path.join(env.DATA_DIR, 'postgres')}`);
        return pg.url;
      })(),
    ]);
    await migrate(databaseUrl);
    const pool = createPool(databaseUrl);
    stops.push(() => pool.end());
    const worker = await runWorker(env, pool, temporalAddress);
    stops.push(() => worker.shutdown());
    void worker.done.catch((e: unknown) => {
      say(`worker stopped: ${String(e)}`);
      void stopAll(1);
    });
    const built = await uiBuilt;
    const api = await startApi(env, { pool, temporalAddress });
    stops.push(() => api.close());
    const ui = built ? `web interface on ${api.url}/` : `web interface NOT built (see above; ${api.url}/ says so)`;
    say(`API on ${api.url} (docs ${api.url}/docs), ${ui} — ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Ctrl-C stops everything.`);
  } catch (err) {
    say(err instanceof ConfigError ? err.message : String(err instanceof Error ? err.stack : err));
    await stopAll(1);
  }
}

/** Every port the cluster profile listens on, named after the setting it follows from. */
function clusterPortsInUse(env: ReturnType<typeof loadEnv>): [string, number][] {
  const ports = clusterPorts(env);
  return [
    ...ports.apis.map((p, i): [string, number] => [i === 0 ? 'API_PORT' : `API_PORT (+${i}, API ${i + 1})`, p]),
    ...Object.entries(ports.temporal).map(([name, p]): [string, number] => [`TEMPORAL_DEV_PORT (Temporal ${name})`, p]),
    ['TEMPORAL_UI_PORT', ports.ui],
  ];
}

void main();
