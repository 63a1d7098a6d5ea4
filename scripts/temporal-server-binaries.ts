import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveGoBinary, TOOLS_BIN, type GoBinary } from './go-binary';

/**
 * The real Temporal server and its SQL schema tool, for the `cluster` profile. Both come from
 * the server's own Go module, which (unlike the CLI's later tags) has no `replace` directive,
 * so `go install` builds them from the module proxy like the CLI.
 */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
export const TEMPORAL_SERVER_MODULE = 'go.temporal.io/server';

const SERVER: GoBinary = {
  pkg: `${TEMPORAL_SERVER_MODULE}/cmd/server@${TEMPORAL_SERVER_VERSION}`,
  file: `temporal-server-${TEMPORAL_SERVER_VERSION}`,
  override: 'TEMPORAL_SERVER',
};
const SQL_TOOL: GoBinary = {
  pkg: `${TEMPORAL_SERVER_MODULE}/cmd/tools/sql@${TEMPORAL_SERVER_VERSION}`,
  file: `temporal-sql-tool-${TEMPORAL_SERVER_VERSION}`,
  override: 'TEMPORAL_SQL_TOOL',
};
/**
 * The standalone Web UI (the dev server embeds it; the real server does not). v2.42.1 is the
 * version the CLI embeds, so its dependencies are those the CLI build fetched already; later
 * versions need a newer Go than this machine's.
 */
const UI_SERVER: GoBinary = {
  pkg: 'github.com/temporalio/ui-server/v2/cmd/server@v2.42.1',
  file: 'temporal-ui-server-v2.42.1',
  override: 'TEMPORAL_UI_SERVER',
};

export interface TemporalServerBinaries {
  server: string;
  sqlTool: string;
}

/**
 * Finds both binaries, building what is missing. Order for each: TEMPORAL_SERVER /
 * TEMPORAL_SQL_TOOL, the project's cached build in .tools/bin, a fresh build.
 */
export function resolveTemporalServer(log: (line: string) => void = console.error): TemporalServerBinaries {
  return { server: resolveGoBinary(SERVER, log), sqlTool: resolveGoBinary(SQL_TOOL, log) };
}

/** The Web UI server, the same way (TEMPORAL_UI_SERVER, cached, built). */
export function resolveTemporalUiServer(log: (line: string) => void = console.error): string {
  return resolveGoBinary(UI_SERVER, log);
}

/** True when both would be found without building (an override, or the cached build). */
export function temporalServerReady(): boolean {
  return [SERVER, SQL_TOOL].every((b) => Boolean(process.env[b.override]) || existsSync(path.join(TOOLS_BIN, b.file)));
}

/**
 * `npm test` builds the server while the first jest suites run (scripts/test.ts), and says so
 * in TEMPORAL_SERVER_BUILD: the file that build writes `ok` or `failed: …` into when it ends.
 * The cluster stack waits for it here instead of starting a second build of its own.
 */
export async function awaitTemporalServer(log: (line: string) => void = console.error, timeoutMs = 30 * 60_000): Promise<TemporalServerBinaries> {
  const status = process.env.TEMPORAL_SERVER_BUILD;
  if (status && !temporalServerReady()) {
    const until = Date.now() + timeoutMs;
    log(`waiting for the Temporal server build that npm test started (${status})…`);
    for (;;) {
      const text = existsSync(status) ? readFileSync(status, 'utf8').trim() : '';
      if (text === 'ok') break;
      if (text.startsWith('failed')) throw new Error(`the Temporal server build failed: ${text}`);
      if (Date.now() > until) throw new Error(`the Temporal server build did not end within ${timeoutMs / 60_000} min`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  return resolveTemporalServer(log);
}

if (require.main === module) {
  // --status FILE: write `ok` or `failed: …` there at the end (npm test's background build).
  const at = process.argv.indexOf('--status');
  const status = at >= 0 ? process.argv[at + 1] : undefined;
  try {
    const found = resolveTemporalServer();
    const paths = [found.server, found.sqlTool, ...(process.argv.includes('--no-ui') ? [] : [resolveTemporalUiServer()])];
    console.log(paths.join('\n'));
    if (status) writeFileSync(status, 'ok\n');
  } catch (err) {
    if (status) writeFileSync(status, `failed: ${err instanceof Error ? err.message : String(err)}\n`);
    throw err;
  }
}
