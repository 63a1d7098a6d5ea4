import { ConfigError, loadEnv } from '../config/env';
import { createPool } from '../store/pool';
import {
  compareWithLive,
  DEFAULT_BATCH_SIZE,
  RebuildInProgressError,
  rebuildProjections,
  type CompareResult,
} from '../store/rebuild-projections';

/**
 * `npm run projections:rebuild [-- --check] [--restart] [--batch-size N]`
 *
 * Without --check: rebuilds every read model from the event log (safe while the system runs;
 * an interrupted run resumes, --restart discards its progress). With --check: replays the log
 * into temporary tables and reports how the live read models differ, changing nothing.
 * Progress on stderr, the summary on stdout.
 * Exit codes: 0 done / no differences, 1 differences or failure, 2 usage or configuration.
 */

const USAGE = 'usage: npm run projections:rebuild -- [--check] [--restart] [--batch-size N]';

interface Args {
  check: boolean;
  restart: boolean;
  batchSize: number;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { check: false, restart: false, batchSize: DEFAULT_BATCH_SIZE };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--check') args.check = true;
    else if (a === '--restart') args.restart = true;
    else if (a === '--batch-size' || a.startsWith('--batch-size=')) {
      const raw = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const n = Number(raw);
      if (!Number.isInteger(n) || n < 1) return `--batch-size needs a positive integer, got ${String(raw)}`;
      args.batchSize = n;
    } else return `unknown argument ${a}`;
  }
  if (args.check && args.restart) return '--restart does not apply to --check';
  return args;
}

/** One stderr line, rewritten in place on a terminal, every ~5 % (or 2 s) otherwise. */
function progressPrinter(label: string): { update(done: number, total: number): void; end(): void } {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let lastPct = -1;
  let lastAt = 0;
  let printed = false;
  return {
    update(done, total) {
      const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
      const now = Date.now();
      if (!tty && pct < lastPct + 5 && now - lastAt < 2000 && done < total) return;
      lastPct = pct;
      lastAt = now;
      const secs = (now - started) / 1000;
      const rate = secs > 0 ? Math.round(done / secs) : 0;
      const line = `[${label}] ${done.toLocaleString('en')}/${total.toLocaleString('en')} events (${pct}%) ${rate.toLocaleString('en')} ev/s`;
      process.stderr.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
      printed = true;
    },
    end() {
      if (tty && printed) process.stderr.write('\n');
    },
  };
}

function describeDifferences(result: CompareResult): string[] {
  const lines: string[] = [];
  for (const d of result.differences) {
    lines.push(`  ${d.table}: ${d.missingInLive} missing in live, ${d.unexpectedInLive} unexpected in live`);
    for (const row of d.samples.missingInLive) lines.push(`    - missing:    ${JSON.stringify(row)}`);
    for (const row of d.samples.unexpectedInLive) lines.push(`    - unexpected: ${JSON.stringify(row)}`);
  }
  return lines;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    console.error(`${args}\n${USAGE}`);
    return 2;
  }
  let databaseUrl: string | undefined;
  try {
    // Authentication settings do not concern this tool; only DATABASE_URL does.
    databaseUrl = loadEnv({ ...process.env, AUTH_MODE: 'dev' }).DATABASE_URL;
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set: point it at the PostgreSQL database whose read models to rebuild, e.g.\n' +
      '  DATABASE_URL=postgres://user:pass@host:5432/glappfri npm run projections:rebuild -- --check');
    return 2;
  }

  // Long statements are expected here (the swap copies whole tables); waits stay bounded.
  const pool = createPool(databaseUrl, { applicationName: 'glappfri-projections-rebuild', max: 2, statementTimeoutMs: 30 * 60_000 });
  const progress = progressPrinter(args.check ? 'check' : 'rebuild');
  try {
    if (args.check) {
      const r = await compareWithLive(pool, { batchSize: args.batchSize, onProgress: progress.update });
      progress.end();
      const summary = `${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s (${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s), at position ${r.position}`;
      if (r.equal) {
        console.log(`check: the live read models equal the log's: no differences (${summary})`);
        return 0;
      }
      console.log(`check: the live read models differ from the log's in ${r.differences.length} table(s) (${summary}):`);
      for (const line of describeDifferences(r)) console.log(line);
      console.log('Run `npm run projections:rebuild` to replace them with the rebuilt ones.');
      return 1;
    }
    const r = await rebuildProjections(pool, { batchSize: args.batchSize, restart: args.restart, onProgress: progress.update });
    progress.end();
    const resumed = r.resumedFrom ? `, resumed after ${r.resumedFrom}` : '';
    console.log(
      `rebuild: ${r.events.toLocaleString('en')} events in ${r.seconds.toFixed(1)} s ` +
        `(${Math.round(r.eventsPerSecond).toLocaleString('en')} events/s)${resumed}; read models at ${r.position} (transaction.position); ` +
        `appends held for ${Math.round(r.lockedMs)} ms; alert feed: ${r.alertChanges.kept} changes kept their seq, ` +
        `${r.alertChanges.renumbered} renumbered`,
    );
    return 0;
  } catch (err) {
    progress.end();
    if (err instanceof RebuildInProgressError) {
      console.error(`${err.message}; try again when it has finished.`);
      return 1;
    }
    console.error(`projections:rebuild failed: ${err instanceof Error ? err.message : String(err)}`);
    if (!args.check) console.error('Progress so far is kept: run again to resume, or with --restart to start over.');
    return 1;
  } finally {
    await pool.end();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
