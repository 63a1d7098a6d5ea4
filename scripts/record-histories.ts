import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { startStandaloneStack } from '../dev/standalone-stack';
import { FIXTURE_PAYLOAD_KEYS } from '../dev/histories/fixture-payload-keys';
import { historyToJson } from '../dev/histories/history-json';
import { scenarios } from '../dev/histories/history-scenarios';
import { runMain } from './run-main';
import { newKeyRing } from '../config/key-ring';

/**
 * Records the Temporal histories of the representative cases in dev/histories/history-scenarios.ts
 * as replay fixtures under test/fixtures/histories/, one JSON file per workflow run. Starts its
 * own Temporal dev server and PostgreSQL (as the tests do), plays every scenario against the
 * current workflow code, writes the files and exits.
 *
 *   npx tsx scripts/record-histories.ts [scenario-name …]
 *
 * Re-record only on purpose: the fixtures stand for cases already running in production, and
 * test/workflow/journey-replay.test.ts replays them against every later version of the code.
 * Frozen scenarios (recorded from code that is gone) are left out of the default run and refused.
 */
const OUT_DIR = path.resolve(__dirname, '../test/fixtures/histories');

/** Every run of a workflow, oldest first, following continue-as-new links backwards. */
async function runHistories(client: Client, workflowId: string): Promise<History[]> {
  const histories: History[] = [];
  let runId: string | undefined;
  for (;;) {
    const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
    histories.unshift(history);
    const previous = history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return histories;
    runId = previous;
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const chosen = only.length > 0 ? scenarios.filter((s) => only.includes(s.name)) : scenarios.filter((s) => !s.frozen);
  if (chosen.length === 0) throw new Error(`no scenario named ${only.join(', ')}; known: ${scenarios.map((s) => s.name).join(', ')}`);
  const frozen = chosen.filter((s) => s.frozen);
  if (frozen.length > 0) throw new Error(`not re-recorded: ${frozen.map((s) => `${s.name} (${s.frozen})`).join(', ')}`);
  mkdirSync(OUT_DIR, { recursive: true });
  // Encrypted with the fixtures' fixed key, so the replay test can read them in any later run.
  process.env.PAYLOAD_KEYS = FIXTURE_PAYLOAD_KEYS;
  // The event log is not part of a replay fixture: any master key will do.
  process.env.MASTER_KEYS ??= newKeyRing('record');
  const stack = await startStandaloneStack();
  try {
    for (const scenario of chosen) {
      const started = Date.now();
      const recorded = await scenario.play(stack);
      const histories = await runHistories(stack.client, recorded.workflowId);
      for (const stale of readdirSync(OUT_DIR).filter((f) => f === `${recorded.name}.json` || f.startsWith(`${recorded.name}.run`))) {
        rmSync(path.join(OUT_DIR, stale));
      }
      histories.forEach((history, i) => {
        const file = path.join(OUT_DIR, histories.length === 1 ? `${recorded.name}.json` : `${recorded.name}.run${i + 1}.json`);
        // historyToJSON's format, without its indentation: a quarter smaller, and base64 payloads
        // do not diff line by line anyway.
        writeFileSync(file, `${JSON.stringify(JSON.parse(historyToJson(history)))}\n`);
        console.log(`${path.relative(process.cwd(), file)}: ${history.events?.length ?? 0} events, ${(statSync(file).size / 1024).toFixed(1)} KiB`);
      });
      console.log(`${scenario.name}: ${histories.length} run(s) in ${((Date.now() - started) / 1000).toFixed(1)} s — ${scenario.story}`);
    }
  } finally {
    await stack.close();
  }
}

runMain(main);
