import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../scripts/free-port';
import { claimStackLock } from '../../scripts/stack-lock';

/**
 * Issue 21: a second `npm start` while one runs says so in one line and starts nothing; so does a
 * start whose port another program holds. A lock left by a process that is gone is taken over.
 */
const ROOT = path.resolve(__dirname, '../..');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

function sleeper(): ChildProcess {
  const c = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  children.push(c);
  return c;
}

async function start(dataDir: string, ports: Record<string, number>) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, AUTH_MODE: 'dev', ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
  delete env.PAYLOAD_KEYS;
  delete env.MASTER_KEYS;
  delete env.AUTH_DEV_SECRET;
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: ROOT, env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, lines: r.stderr.trim().split('\n').filter(Boolean) };
}

async function ports() {
  return { API_PORT: await freePort(), TEMPORAL_DEV_PORT: await freePort(), TEMPORAL_UI_PORT: await freePort(), PG_PORT: await freePort() };
}

test('a lock of a live process is not taken; one of a process that is gone is', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stack-lock-'));
  const live = sleeper();
  writeFileSync(path.join(dir, 'stack.lock'), JSON.stringify({ pid: live.pid, apiUrl: 'http://127.0.0.1:8080' }));
  expect(claimStackLock(dir, 'http://127.0.0.1:9999')).toEqual({ claimed: false, pid: live.pid, apiUrl: 'http://127.0.0.1:8080' });
  const gone = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  writeFileSync(path.join(dir, 'stack.lock'), JSON.stringify({ pid: Number(gone.stdout.trim()), apiUrl: 'x' }));
  const taken = claimStackLock(dir, 'http://127.0.0.1:9999');
  expect(taken.claimed).toBe(true);
  if (taken.claimed) taken.release();
});

test('a second start while one runs: one line, exit 1, nothing started', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'second-start-'));
  const running = sleeper();
  writeFileSync(path.join(dir, 'stack.lock'), JSON.stringify({ pid: running.pid, apiUrl: 'http://127.0.0.1:8080' }));
  const r = await start(dir, await ports());
  expect(r.status).toBe(1);
  const said = r.lines.filter((l) => !/made (PAYLOAD_KEYS|MASTER_KEYS|AUTH_DEV_SECRET)/.test(l));
  expect(said).toEqual([`[start] the local stack is already running (pid ${running.pid}, http://127.0.0.1:8080); stop it with Ctrl-C where it runs, or use another DATA_DIR and ports`]);
}, 90_000);

test('a port held by another program: one line naming the setting, exit 1', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'port-taken-'));
  const p = await ports();
  const holder: Server = createServer();
  await new Promise<void>((resolve) => holder.listen(p.API_PORT, '127.0.0.1', resolve));
  try {
    const r = await start(dir, p);
    expect(r.status).toBe(1);
    expect(r.lines[r.lines.length - 1]).toBe(`[start] port ${p.API_PORT} (API_PORT) is already in use by another program; stop it or set API_PORT to a free port`);
    expect(r.lines.some((l) => /Temporal dev server on|PostgreSQL/.test(l))).toBe(false);
  } finally {
    holder.close();
  }
}, 90_000);
