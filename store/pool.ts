import { Pool, type PoolConfig } from 'pg';

export interface PoolOptions {
  /** Shown in pg_stat_activity, so an operator can tell the worker from the API. */
  applicationName?: string;
  /** Connections per process. */
  max?: number;
  /** Server-side cap on any one statement, including waits for locks. */
  statementTimeoutMs?: number;
  /** Kills a session that sits in an open transaction (a leaked client) for this long. */
  idleInTransactionTimeoutMs?: number;
  /** Fail fast when no connection can be had, instead of queueing forever. */
  connectionTimeoutMs?: number;
}

export const POOL_DEFAULTS: Required<PoolOptions> = {
  applicationName: 'glappfri',
  max: 10,
  statementTimeoutMs: 15_000,
  idleInTransactionTimeoutMs: 60_000,
  connectionTimeoutMs: 10_000,
};

/** A pg pool with bounded waits everywhere. The caller ends it with `pool.end()`. */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const o = { ...POOL_DEFAULTS, ...options };
  const config: PoolConfig = {
    connectionString: url,
    application_name: o.applicationName,
    max: o.max,
    statement_timeout: o.statementTimeoutMs,
    idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs,
    connectionTimeoutMillis: o.connectionTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  };
  const pool = new Pool(config);
  // An idle client can lose its connection (server restart, failover). pg reports that as an
  // 'error' event on the pool, which would crash the process if nobody listened; the broken
  // client is discarded and the next checkout opens a fresh connection.
  pool.on('error', (err) => {
    console.error(`[pg pool ${o.applicationName}] idle client error: ${err.message}`);
  });
  return pool;
}
