import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RunnerOption } from 'node-pg-migrate';

/**
 * Schema migrations: plain `.sql` files in `store/migrations/`, each with a `-- Up Migration`
 * and a `-- Down Migration` section, applied in the order of their numeric prefix.
 *
 * Numbering: 001–099 are the core tables (event log, audit, idempotency); 100 and up are read
 * models (projections). Never rename or edit an applied file; add a new one. Pending files run
 * in name order, even when one sorts before an already applied file.
 */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';

export interface MigrateOptions {
  /** Progress lines ("MIGRATION 001_event-log (UP)"); silent unless given. */
  log?: (line: string) => void;
}

/**
 * Brings the database at `databaseUrl` up to the latest migration. Idempotent. Safe to call
 * from several processes at once: node-pg-migrate takes a session advisory lock, and with
 * `advisoryLockMode: 'wait'` a second caller waits for the first, then finds nothing to do.
 * All pending files run in one transaction, so a failure leaves the schema as it was.
 */
/** Runner options that can cross into the worker (structured-cloned: no functions). */
type WorkerRunnerOptions = Omit<Extract<RunnerOption, { databaseUrl: unknown }>, 'logger' | 'log'>;

export async function migrate(databaseUrl: string, options: MigrateOptions = {}): Promise<void> {
  const runnerOptions: WorkerRunnerOptions = {
    databaseUrl,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    // The two number ranges grow independently (a 003 may be written after a 105 has run
    // somewhere), so a pending file that sorts before an applied one is run, not refused.
    checkOrder: false,
    singleTransaction: true,
    advisoryLockMode: 'wait',
  };
  await runInWorker(runnerOptions, options.log ?? (() => undefined));
}

/**
 * node-pg-migrate 9 is published as ES modules only, while this project compiles to CommonJS
 * and jest's module registry cannot load ES modules (`Must use import to load ES Module`, also
 * through `createRequire`). So the runner runs in a worker thread, where Node's own loader
 * imports it, identically under jest, tsx and plain node. It costs a few tens of milliseconds
 * per call; the runner opens its own connection anyway.
 */
function runInWorker(runnerOptions: WorkerRunnerOptions, info: (line: string) => void): Promise<void> {
  const entry = createRequire(__filename).resolve('node-pg-migrate');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { entryUrl: pathToFileURL(entry).href, runnerOptions },
  });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      if (err) reject(err);
      else resolve();
    };
    worker.on('message', (msg: WorkerMessage) => {
      if (msg.kind === 'log') {
        if (msg.level === 'info') info(msg.line);
        else if (msg.level === 'warn') console.warn(`[migrate] ${msg.line}`);
        else console.error(`[migrate] ${msg.line}`);
      } else if (msg.kind === 'done') {
        settle();
      } else {
        const err = new Error(`Migration failed: ${msg.message}`);
        if (msg.stack) err.stack = `${err.message}\n--- in the migration worker ---\n${msg.stack}`;
        Object.assign(err, msg.code ? { code: msg.code } : {});
        settle(err);
      }
    });
    worker.on('error', (err) => settle(err));
    worker.on('exit', (code) => settle(new Error(`The migration worker exited (code ${code}) before finishing`)));
  });
}

type WorkerMessage =
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; line: string }
  | { kind: 'done' }
  | { kind: 'failed'; message: string; stack?: string; code?: string };

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const send = (level) => (line) => parentPort.postMessage({ kind: 'log', level, line: String(line) });
import(workerData.entryUrl)
  .then(({ runner }) => runner({
    ...workerData.runnerOptions,
    logger: { info: send('info'), warn: send('warn'), error: send('error') },
  }))
  .then(
    () => parentPort.postMessage({ kind: 'done' }),
    (e) => parentPort.postMessage({ kind: 'failed', message: String(e && e.message || e), stack: e && e.stack, code: e && e.code }),
  );
`;
