import { resolveGoBinary, type GoBinary } from './go-binary';

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

if (require.main === module) {
  const found = resolveTemporalServer();
  console.log(`${found.server}\n${found.sqlTool}\n${resolveTemporalUiServer()}`);
}
