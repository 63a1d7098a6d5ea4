import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CHROMIUM_PATH } from '../dev/ui/browser';
import { ensureUiBuilt } from './build-ui';
import { resolveTemporalCli } from './temporal-cli';
import { resolveTemporalServer } from './temporal-server-binaries';

/**
 * `npm test`: type-check (server and web interface), lint (with import cycles), build the web interface, then every
 * jest suite against a real Temporal dev server and a real PostgreSQL that the suite starts
 * itself on free ports, and the browser tests in Debian's Chromium. Builds the Temporal CLI and
 * the Temporal server with its schema tool (test/cluster) and installs Chromium first if this
 * machine has none, so those minutes are not charged to a test's timeout.
 */
/** Runs a step with its output shown; its exit status (or -1 when it could not start). */
function step(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = Date.now();
  console.error(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  console.error(`  ${label}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return r.status ?? -1;
}

function run(label: string, cmd: string, args: string[]): void {
  const status = step(label, cmd, args);
  if (status !== 0) process.exit(status > 0 ? status : 1);
}

function fail(message: string): never {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

/** A fresh CI machine (Debian, root) has no browser; the browser tests need Debian's chromium. */
function ensureChromium(): void {
  if (existsSync(CHROMIUM_PATH)) return;
  console.error(`\nChromium is not at ${CHROMIUM_PATH}; the browser tests need it. Installing Debian's package:`);
  console.error('  apt-get update && apt-get install -y chromium');
  const cannot = (why: string) =>
    fail(`Cannot install Chromium: ${why}. Install it yourself (as root: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary, then run npm test again.`);
  if (process.platform !== 'linux' || spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status !== 0) cannot('apt-get is not available (not Debian or Ubuntu)');
  if (process.getuid?.() !== 0) cannot('installing packages needs root');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const started = Date.now();
  if (step('apt-get update', 'apt-get', ['update'], env) !== 0) cannot('apt-get update failed (are the Debian package mirrors reachable?)');
  // A fresh machine may still be running its own first apt job: wait for the lock, don't fail on it.
  if (step('apt-get install -y chromium', 'apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', 'chromium'], env) !== 0) cannot('apt-get install -y chromium failed');
  if (!existsSync(CHROMIUM_PATH)) cannot(`the package installed, but there is still nothing at ${CHROMIUM_PATH}`);
  console.error(`  Chromium installed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

async function main() {
  resolveTemporalCli((l) => console.error(l));
  resolveTemporalServer((l) => console.error(l));
  run('type-check', 'npx', ['tsc', '--noEmit', '-p', '.']);
  run('type-check of the web interface', 'npx', ['tsc', '--noEmit', '-p', 'ui']);
  run('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
  run('import cycles', 'npx', ['tsx', 'scripts/check-import-cycles.ts']);
  console.error('\n▶ web interface (ui/dist)');
  // Built here, once, because the browser test files start in parallel and must not race to build it.
  await ensureUiBuilt((l) => console.error(`  ${l}`), { strict: true, typeCheck: false }).catch((err: unknown) =>
    fail(`The web interface did not build: ${err instanceof Error ? err.message : String(err)}`),
  );
  console.error('  web interface: ok');
  ensureChromium();
  run('tests', 'npx', ['jest', '--ci', ...process.argv.slice(2)]);
}

void main();
