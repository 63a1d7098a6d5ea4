import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertReachableByPostgres, privateAncestor } from '../../scripts/reachable-by-others';

/**
 * Issue 21: as root, a data folder (or a clone) inside a private folder used to crash the
 * embedded PostgreSQL with `spawn … initdb EACCES`; now it stops with what to change.
 */
test('the first folder others cannot enter is found; none when all can', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'private-'));
  chmodSync(base, 0o755);
  const closed = path.join(base, 'home');
  mkdirSync(path.join(closed, 'clone', 'data'), { recursive: true });
  chmodSync(closed, 0o700);
  expect(privateAncestor(path.join(closed, 'clone', 'data', 'postgres'))).toBe(closed);
  chmodSync(closed, 0o755);
  expect(privateAncestor(path.join(closed, 'clone', 'data', 'postgres'))).toBeNull();
});

test('as root, a data folder inside a private folder is refused, saying what to change; not as another user', () => {
  const base = mkdtempSync(path.join(os.tmpdir(), 'private-pg-'));
  chmodSync(base, 0o700);
  const dataDir = path.join(base, 'data', 'postgres');
  expect(() => assertReachableByPostgres(dataDir, true)).toThrow(
    `cannot enter ${base} (a private folder). Clone the project outside it (e.g. under /srv or /opt), or allow entry with \`chmod o+x ${base}\``);
  expect(() => assertReachableByPostgres(dataDir, false)).not.toThrow();
  chmodSync(base, 0o755);
  expect(() => assertReachableByPostgres(dataDir, true)).not.toThrow();
});
