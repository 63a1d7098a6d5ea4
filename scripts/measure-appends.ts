import { measureAppends } from '../bench/appends';
import { startStandaloneStack } from '../dev/standalone-stack';
import { runMain } from './run-main';

/**
 * Appends per second to the event log, on a fresh embedded PostgreSQL (as the tests start it),
 * beside the baseline with the global append lock every append took before issue 20, in the
 * same run (bench/appends.ts says how). `npm run bench` runs the same as its `appends` phase.
 *
 *   npx tsx scripts/measure-appends.ts [seconds=5] [writers=8] [batch=100]
 */
async function main(): Promise<void> {
  const stack = await startStandaloneStack();
  try {
    const r = await measureAppends(stack.pool, {
      seconds: Number(process.argv[2] ?? 5), writers: Number(process.argv[3] ?? 8), batch: Number(process.argv[4] ?? 100), log: console.log,
    });
    console.log(JSON.stringify(r));
  } finally {
    await stack.close();
  }
}

runMain(main);
