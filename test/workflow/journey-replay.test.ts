import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { bundleWorkflowCode, Runtime, Worker, type ReplayResult } from '@temporalio/worker';
import { workflowBundle } from '../../dev/stack';
import { dataConverterFor } from '../../config/payload-codec';
import { FIXTURE_PAYLOAD_KEYS } from '../../dev/histories/fixture-payload-keys';
import { historyFromJson } from '../../dev/histories/history-json';

/**
 * Histories of representative cases, recorded by scripts/record-histories.ts, replayed against
 * the current workflow code. A change that would break running cases (a different command
 * sequence without `patched()`) fails here with a DeterminismViolationError.
 */
const FIXTURES = path.resolve(__dirname, '../fixtures/histories');
const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();

function histories(): { workflowId: string; history: History }[] {
  return files.map((f) => ({
    workflowId: `fixture:${path.basename(f, '.json')}`,
    history: historyFromJson(JSON.parse(readFileSync(path.join(FIXTURES, f), 'utf8'))),
  }));
}

async function replayAll(bundle: Awaited<ReturnType<typeof workflowBundle>>): Promise<ReplayResult[]> {
  const results: ReplayResult[] = [];
  const dataConverter = dataConverterFor(FIXTURE_PAYLOAD_KEYS);
  for await (const result of Worker.runReplayHistories({ workflowBundle: bundle, dataConverter }, histories())) results.push(result);
  return results;
}

const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
beforeAll(() => {
  // The careless replay below makes the native core warn about each nondeterminism it finds.
  Runtime.install({ logger: quiet, shutdownSignals: [], telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } } });
});

test('the fixtures are there, small, and cover the whole story of a case', () => {
  expect(files).toEqual(expect.arrayContaining(['full-case.json', 'whole-path.json', 'continue-as-new.run1.json']));
  const bytes = files.reduce((n, f) => n + statSync(path.join(FIXTURES, f)).size, 0);
  // before-slim-updates.json alone is about 190 KiB (120 KiB for the same story since): recorded
  // before `slim-command-result`, each of its updates carries the whole directory and answers
  // with the whole case, which is what that patch ended.
  // The two case-rules-2 stories add about 265 KiB: their updates still carry the agencies each
  // command needs, and a release, a remand and a close each write a burst of events. The two
  // quiet-commands stories (before and since search-attributes-when-changed) about 120 KiB.
  expect(bytes).toBeLessThan(1536 * 1024);
  const full = histories().find((h) => h.workflowId === 'fixture:full-case')!.history;
  const types = new Set(full.events!.map((e) => e.eventType));
  // Updates, activities, timers and the end of the workflow all occur in it.
  const { EventType } = temporal.api.enums.v1;
  for (const t of [
    EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED, EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED,
    EventType.EVENT_TYPE_TIMER_FIRED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  ]) {
    expect(types.has(t)).toBe(true);
  }
});

/** The patches a recorded run took (their markers). */
function patchesOf(history: History): string[] {
  return (history.events ?? []).flatMap((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (marker?.markerName !== 'core_patch') return [];
    const data = marker.details?.['patch-data']?.payloads?.[0]?.data;
    return data ? [(JSON.parse(Buffer.from(data).toString('utf8')) as { id: string }).id] : [];
  });
}

test('the fixtures of one story, before and since slim-command-result, differ in that patch only', () => {
  const byName = new Map(histories().map((h) => [h.workflowId, h.history]));
  const before = patchesOf(byName.get('fixture:before-slim-updates')!);
  const since = patchesOf(byName.get('fixture:slim-updates')!);
  expect(before).not.toContain('slim-command-result');
  expect(since.filter((p) => !before.includes(p))).toEqual(['slim-command-result']);
});

/** How many upserts set the journey's own search attributes (the SDK's TemporalChangeVersion left out). */
function journeyUpserts(history: History): number {
  return (history.events ?? []).filter((e) => e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields?.JourneyPhase).length;
}

test('the fixtures of one story, before and since search-attributes-when-changed, differ in that patch and in their upserts', () => {
  const byName = new Map(histories().map((h) => [h.workflowId, h.history]));
  const before = byName.get('fixture:before-quiet-commands')!;
  const since = byName.get('fixture:quiet-commands')!;
  expect(patchesOf(before)).not.toContain('search-attributes-when-changed');
  expect(patchesOf(since).filter((p) => !patchesOf(before).includes(p))).toEqual(['search-attributes-when-changed']);
  // Seven commands and a schedule step: one upsert each before; since, only where a value changed.
  expect(journeyUpserts(before)).toBe(8);
  expect(journeyUpserts(since)).toBeLessThan(journeyUpserts(before));
});

test('every recorded history replays against the current workflow code', async () => {
  const results = await replayAll(await workflowBundle());
  expect(results.map((r) => r.workflowId).sort()).toEqual(files.map((f) => `fixture:${path.basename(f, '.json')}`).sort());
  const failures = results.filter((r) => r.error).map((r) => `${r.workflowId}: ${r.error?.name}: ${r.error?.message}`);
  expect(failures).toEqual([]);
});

test('an unpatched change to the command sequence fails the replay', async () => {
  const careless = await bundleWorkflowCode({ workflowsPath: require.resolve('./nondeterministic-journey'), logger: quiet });
  const results = await replayAll(careless);
  expect(results).toHaveLength(files.length);
  for (const r of results) expect(r.error?.name).toBe('DeterminismViolationError');
});
