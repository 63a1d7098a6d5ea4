import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

/** The one tag that still installs with `go install`; later tags carry a `replace` directive. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
export const PROJECT_ROOT = path.resolve(__dirname, '..');
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}

/** The machine's Go: on PATH, or where the official tarball puts it. */
export function findGo(): string | undefined {
  return onPath('go') ?? (existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : undefined);
}

/**
 * Finds the Temporal CLI, building it once from its Go module when nothing else is there.
 * Order: TEMPORAL_CLI, a `temporal` on PATH, the project's cached build, a fresh build.
 */
export function resolveTemporalCli(log: (line: string) => void = console.error): string {
  const explicit = process.env.TEMPORAL_CLI;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`TEMPORAL_CLI points to ${explicit}, which does not exist`);
    return explicit;
  }
  const fromPath = onPath('temporal');
  if (fromPath) return fromPath;
  const cached = path.join(TOOLS_BIN, 'temporal');
  if (existsSync(cached)) return cached;

  const go = findGo();
  if (!go) {
    throw new Error(
      'The Temporal CLI was not found and Go is not installed to build it. Install Go ' +
        '(https://go.dev/doc/install) or put a `temporal` binary on PATH or in TEMPORAL_CLI.',
    );
  }
  mkdirSync(TOOLS_BIN, { recursive: true });
  log(`Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into .tools/bin; the first build takes a few minutes…`);
  const started = Date.now();
  execFileSync(go, ['install', TEMPORAL_CLI_MODULE], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOBIN: TOOLS_BIN, GOFLAGS: '-trimpath' },
  });
  log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return cached;
}

if (require.main === module) {
  console.log(resolveTemporalCli());
}
