import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';

/**
 * One local stack per data folder: `npm start` holds DATA_DIR/stack.lock (its pid and API URL)
 * while it runs, so a second start says "already running" in one line instead of printing a
 * false start-up line and a stack trace. A lock left by a process that is gone (killed, power
 * lost) is taken over.
 */
export type StackLock = { claimed: true; release(): void } | { claimed: false; pid: number; apiUrl: string };

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, owned by someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function claimStackLock(dataDir: string, apiUrl: string): StackLock {
  const file = path.join(dataDir, 'stack.lock');
  const mine = JSON.stringify({ pid: process.pid, apiUrl });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      writeFileSync(file, mine, { flag: 'wx', mode: 0o600 });
      return { claimed: true, release: () => rmSync(file, { force: true }) };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let held: { pid?: unknown; apiUrl?: unknown } = {};
    try {
      held = JSON.parse(readFileSync(file, 'utf8')) as typeof held;
    } catch {
      /* unreadable: treated as stale */
    }
    if (typeof held.pid === 'number' && held.pid !== process.pid && alive(held.pid)) {
      return { claimed: false, pid: held.pid, apiUrl: typeof held.apiUrl === 'string' ? held.apiUrl : apiUrl };
    }
    rmSync(file, { force: true });
  }
  throw new Error(`could not take ${file}`);
}

/** Whether something already listens on the loopback port (another program, or another stack). */
export function portInUse(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, host, () => probe.close(() => resolve(false)));
  });
}
