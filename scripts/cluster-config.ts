import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePortInRange } from './free-port';
import type { PgServer, TemporalDatabases } from './temporal-schema';
import { PROJECT_ROOT } from './temporal-cli';
import { dynamicConfigYaml } from './temporal-dynamic-config';

export const CLUSTER_CONFIG_TEMPLATE = path.join(PROJECT_ROOT, 'config', 'temporal-cluster.yaml');
/** The server reads `<config dir>/<env>.yaml`; this is the env name it is started with. */
export const CLUSTER_CONFIG_ENV = 'cluster';
export const UI_CONFIG_TEMPLATE = path.join(PROJECT_ROOT, 'config', 'temporal-ui.yaml');

/** Every port the Temporal server of the cluster profile listens on (127.0.0.1 only). */
export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
  /** The server's Prometheus metrics (`/metrics`), for operators and the tests. */
  metrics: number;
}

/** Temporal's usual layout around the frontend's port (7233 → history 7234, matching 7235…). */
export function defaultServerPorts(frontend: number): TemporalServerPorts {
  return {
    frontend,
    frontendHttp: frontend + 10,
    frontendMembership: frontend - 300,
    history: frontend + 1,
    historyMembership: frontend - 299,
    matching: frontend + 2,
    matchingMembership: frontend - 298,
    worker: frontend + 6,
    workerMembership: frontend - 294,
    metrics: frontend + 767,
  };
}

/**
 * The highest port the server can use: it records its services' ports in PostgreSQL as smallint
 * (cluster_membership), and a port above 32767 stops it at start ("out of range for type
 * smallint"). Linux hands out ephemeral ports from 32768 up, so freePort() will not do.
 */
export const MAX_SERVER_PORT = 32767;

/** All of them free and low enough, for tests beside a running stack (or another test's cluster). */
export async function freeServerPorts(): Promise<TemporalServerPorts> {
  const keys = Object.keys(defaultServerPorts(7233)) as (keyof TemporalServerPorts)[];
  const ports = new Set<number>();
  // Each probe closes before the next, so the same port could come back: `ports` excludes it.
  while (ports.size < keys.length) ports.add(await freePortInRange(10_000, MAX_SERVER_PORT, ports));
  const list = [...ports];
  return Object.fromEntries(keys.map((k, i) => [k, list[i]])) as unknown as TemporalServerPorts;
}

/** Fills every `${NAME}` outside comments; an unknown name or an unused value is an error. */
export function renderTemplate(file: string, values: Record<string, string | number>): string {
  const template = readFileSync(file, 'utf8');
  const used = new Set<string>();
  const fill = (line: string) =>
    line.replace(/\$\{([A-Z_]+)\}/g, (_, name: string) => {
      const value = values[name];
      if (value === undefined) throw new Error(`${file}: no value for \${${name}}`);
      used.add(name);
      return yamlScalar(value);
    });
  // Comment lines stay as written: they may name a placeholder to explain it.
  const rendered = template
    .split('\n')
    .map((line) => (line.trimStart().startsWith('#') ? line : fill(line)))
    .join('\n');
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`${file} does not use ${unused.join(', ')}`);
  return rendered;
}

/** Numbers as they are; strings quoted, so a password with `:` or `#` stays one string. */
function yamlScalar(v: string | number): string {
  return typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/**
 * Writes the server's configuration for these ports and this PostgreSQL into `dir` (made if
 * missing; mode 0600, it holds the database password) and returns `dir`.
 */
export function writeClusterConfig(opts: {
  dir: string;
  ports: TemporalServerPorts;
  pg: PgServer;
  databases: TemporalDatabases;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}): string {
  const { ports, pg, databases } = opts;
  const dynamicConfigFile = path.resolve(opts.dir, 'dynamic-config.yaml');
  const yaml = renderTemplate(CLUSTER_CONFIG_TEMPLATE, {
    LOG_LEVEL: opts.logLevel ?? 'warn',
    PERSISTENCE_DATABASE: databases.persistence,
    VISIBILITY_DATABASE: databases.visibility,
    PG_ADDRESS: `${pg.host}:${pg.port}`,
    PG_USER: pg.user,
    PG_PASSWORD: pg.password,
    FRONTEND_PORT: ports.frontend,
    FRONTEND_HTTP_PORT: ports.frontendHttp,
    FRONTEND_MEMBERSHIP_PORT: ports.frontendMembership,
    HISTORY_PORT: ports.history,
    HISTORY_MEMBERSHIP_PORT: ports.historyMembership,
    MATCHING_PORT: ports.matching,
    MATCHING_MEMBERSHIP_PORT: ports.matchingMembership,
    WORKER_PORT: ports.worker,
    WORKER_MEMBERSHIP_PORT: ports.workerMembership,
    METRICS_PORT: ports.metrics,
    DYNAMIC_CONFIG_FILE: dynamicConfigFile,
  });
  mkdirSync(opts.dir, { recursive: true });
  writeFileSync(dynamicConfigFile, dynamicConfigYaml());
  writeFileSync(path.join(opts.dir, `${CLUSTER_CONFIG_ENV}.yaml`), yaml, { mode: 0o600 });
  return opts.dir;
}

/**
 * Writes the Web UI server's configuration into `dir` (its own folder: it reads `base.yaml` and
 * `<env>.yaml` there, like the Temporal server) and returns `dir`.
 */
export function writeUiConfig(opts: { dir: string; temporalAddress: string; port: number; namespace: string; codecEndpoint?: string }): string {
  const yaml = renderTemplate(UI_CONFIG_TEMPLATE, {
    TEMPORAL_ADDRESS: opts.temporalAddress,
    UI_PORT: opts.port,
    NAMESPACE: opts.namespace,
    CODEC_ENDPOINT: opts.codecEndpoint ?? '',
  });
  mkdirSync(opts.dir, { recursive: true });
  writeFileSync(path.join(opts.dir, `${CLUSTER_CONFIG_ENV}.yaml`), yaml);
  return opts.dir;
}
