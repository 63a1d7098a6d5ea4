import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../scripts/dev-server';
import { startEmbeddedPostgres, type EmbeddedPg } from '../scripts/embedded-postgres';
import { newPayloadKeys } from '../config/payload-keys';
import { testDevSecret } from './dev-secret';
import { resolveTemporalCli } from '../scripts/temporal-cli';
import { freePort } from '../scripts/free-port';

/** mkdtemp makes a 0700 folder; PostgreSQL runs as its own OS user and must reach inside. */
function traversable(dir: string): string {
  chmodSync(dir, 0o755);
  return dir;
}

declare global {
  var __TEST_SERVICES__: { temporal?: DevServer; pg?: EmbeddedPg } | undefined;
}

/**
 * One Temporal dev server (in memory) and one PostgreSQL for the whole run. Each test file makes
 * its own database and task queue, so files are isolated from each other. A given
 * TEST_TEMPORAL_ADDRESS / TEST_DATABASE_URL is used instead of starting one.
 */
export default async function globalSetup(): Promise<void> {
  // Every Temporal client and worker of the run encrypts with this key (inherited by jest's workers).
  process.env.PAYLOAD_KEYS ??= newPayloadKeys('test');
  // …and every case key of the run is wrapped with this one.
  process.env.MASTER_KEYS ??= newPayloadKeys('test-master');
  // One housekeeping schedule per test file's worker would wake at every full hour for nothing;
  // the files that test housekeeping start their worker with a schedule of their own.
  process.env.HOUSEKEEPING_INTERVAL ??= 'off';
  // Tests that forecast say so; the rest must not see predictions appear in their cases' trails.
  process.env.FORECAST_INTERVAL ??= 'off';
  // Dev tokens of the run are signed with this random secret (AUTH_DEV_SECRET has no default).
  testDevSecret();
  // The tests' webhook receivers listen on 127.0.0.1, which the product refuses unless told that
  // receivers are inside the network (test/delivery/webhook-targets.test.ts turns it off again).
  process.env.WEBHOOK_ALLOW_PRIVATE ??= 'true';
  const services: NonNullable<typeof globalThis.__TEST_SERVICES__> = {};
  globalThis.__TEST_SERVICES__ = services;
  const [temporal, pg] = await Promise.all([
    process.env.TEST_TEMPORAL_ADDRESS
      ? Promise.resolve(undefined)
      : freePort().then((port) => startDevServer({ cli: resolveTemporalCli(), port })),
    process.env.TEST_DATABASE_URL
      ? Promise.resolve(undefined)
      : freePort().then((port) =>
          startEmbeddedPostgres({
            dataDir: path.join(traversable(mkdtempSync(path.join(os.tmpdir(), 'journey-test-pg-'))), 'data'),
            port,
            database: 'postgres',
          }),
        ),
  ]);
  services.temporal = temporal;
  services.pg = pg;
  if (temporal) process.env.TEST_TEMPORAL_ADDRESS = temporal.address;
  if (pg) process.env.TEST_DATABASE_URL = pg.url;
}
