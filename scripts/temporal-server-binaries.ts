import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, findGo } from './temporal-cli';

/**
 * The real Temporal server and its SQL schema tool, for the `cluster` profile. Both come from
 * the server's own Go module, which (unlike the CLI's later tags) has no `replace` directive,
 * so `go install` builds them from the module proxy like the CLI.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';
const PACKAGES = { server: 'cmd/server', sqlTool: 'cmd/tools/sql' } as const;
const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

/** The version is in the cached file's name, so a version bump in this file builds afresh. */
function cachedPath(kind: keyof typeof PACKAGES): string {
  return path.join(TOOLS_BIN, `${kind === 'server' ? 'temporal-server' : 'temporal-sql-tool'}-${TEMPORAL_SERVER_VERSION}`);
}

function build(kind: keyof typeof PACKAGES, log: (line: string) => void): string {
  const target = cachedPath(kind);
  const go = findGo();
  if (!go) {
    throw new Error(
      `The Temporal server (${kind}) was not found and Go is not installed to build it. Install Go ` +
        `(https://go.dev/doc/install), or set ${kind === 'server' ? 'TEMPORAL_SERVER' : 'TEMPORAL_SQL_TOOL'} to a binary.`,
    );
  }
  const pkg = `${TEMPORAL_SERVER_MODULE}/${PACKAGES[kind]}@${TEMPORAL_SERVER_VERSION}`;
  // `go install` names the binary after the package (`server`, `sql`): too generic for
  // .tools/bin, so it goes to a folder of its own first and is renamed into place whole.
  const gobin = path.join(PROJECT_ROOT, '.tools', 'go-install', kind);
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  log(`Building ${pkg} into .tools/bin; the first build takes several minutes…`);
  const started = Date.now();
  execFileSync(go, ['install', pkg], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // -trimpath as for the CLI: the same flags share the Go build cache between the builds.
    env: { ...process.env, GOBIN: gobin, GOFLAGS: '-trimpath' },
  });
  mkdirSync(TOOLS_BIN, { recursive: true });
  renameSync(path.join(gobin, path.basename(PACKAGES[kind])), target);
  rmSync(gobin, { recursive: true, force: true });
  log(`${path.basename(target)} built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return target;
}

function resolveOne(kind: keyof typeof PACKAGES, variable: string, log: (line: string) => void): string {
  const explicit = process.env[variable];
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${variable} points to ${explicit}, which does not exist`);
    return explicit;
  }
  const cached = cachedPath(kind);
  return existsSync(cached) ? cached : build(kind, log);
}

/**
 * Finds both binaries, building what is missing. Order for each: TEMPORAL_SERVER /
 * TEMPORAL_SQL_TOOL, the project's cached build in .tools/bin, a fresh build.
 */
export function resolveTemporalServer(log: (line: string) => void = console.error): TemporalServerBinaries {
  return {
    server: resolveOne('server', 'TEMPORAL_SERVER', log),
    sqlTool: resolveOne('sqlTool', 'TEMPORAL_SQL_TOOL', log),
  };
}

if (require.main === module) {
  const found = resolveTemporalServer();
  console.log(`${found.server}\n${found.sqlTool}`);
}
