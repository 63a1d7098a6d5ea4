import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Pool } from 'pg';
import { compareWithLive } from '../../store/rebuild-projections';
import { createTestDatabase } from '../../dev/database';
import { generateLog } from '../support/generate-log';

/* `npm run projections:rebuild [-- --check]`, run as a separate process the way an operator runs it. */

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  pool = db.pool;
  await generateLog(pool, { prefix: 'script', seed: 3, cases: 40, targetEvents: 400 });
}, 120_000);
afterAll(() => db?.drop());

function runScript(args: string[], databaseUrl: string | undefined): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl ?? '' };
    const child = spawn(TSX, ['scripts/rebuild-projections.ts', ...args], { cwd: ROOT, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('exits 2 with a clear message when DATABASE_URL is not set', async () => {
  const r = await runScript(['--check'], undefined);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/DATABASE_URL is not set/);
});

it('--check reports no difference on a consistent database, then the tables that differ', async () => {
  const ok = await runScript(['--check'], db.url);
  expect(ok.stderr).toMatch(/\[check\] [\d,]+\/[\d,]+ events \(100%\)/);
  expect(ok.stdout).toMatch(/no differences \([\d,]+ events in [\d.]+ s \([\d,]+ events\/s\)/);
  expect(ok.code).toBe(0);

  await pool.query(`DELETE FROM tasks WHERE task_id IN (SELECT task_id FROM tasks ORDER BY task_id LIMIT 4)`);
  const bad = await runScript(['--check'], db.url);
  expect(bad.stdout).toMatch(/tasks: 4 missing in live, 0 unexpected in live/);
  expect(bad.code).toBe(1);
}, 60_000);

it('rebuilds, with a progress line on stderr and a summary with the rate', async () => {
  const r = await runScript(['--batch-size', '100'], db.url);
  expect(r.stderr).toMatch(/\[rebuild\] [\d,]+\/[\d,]+ events/);
  expect(r.stdout).toMatch(/rebuild: [\d,]+ events in [\d.]+ s \([\d,]+ events\/s\); read models at \d+\.\d+/);
  expect(r.code).toBe(0);
  expect((await compareWithLive(pool)).differences).toEqual([]);
}, 60_000);
