import { spawnSync } from 'node:child_process';
import { resolveTemporalCli } from './temporal-cli';

/**
 * `npm test`: type-check, lint, then every jest suite against a real Temporal dev server and a
 * real PostgreSQL that the suite starts itself on free ports. Builds the Temporal CLI first if
 * this machine has none, so the build's minutes are not charged to a test's timeout.
 */
function run(label: string, cmd: string, args: string[]): void {
  const started = Date.now();
  console.error(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  console.error(`  ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (r.status !== 0) process.exit(r.status ?? 1);
}

resolveTemporalCli((l) => console.error(l));
run('type-check', 'npx', ['tsc', '--noEmit', '-p', '.']);
run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
run('tests', 'npx', ['jest', '--ci', ...process.argv.slice(2)]);
