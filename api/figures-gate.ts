import { Pool } from 'pg';
import { metricsSummary, type MetricsSummary } from '../store/metrics-summary';
import { ProblemError } from './problem';

/**
 * The figures (`GET /v1/metrics/summary`) are the one read whose cost grows with every case ever
 * released, so they are kept away from the commands' connections:
 *
 * - their own small pool (FIGURES_POOL_MAX connections), so however many dashboards ask, the API's
 *   pool, which commands and lists need, never waits behind them;
 * - one computation at a time, at most one a second: requests arriving while one runs wait for
 *   the next, which answers all of them (so every answer is computed after its request came, and
 *   50 concurrent callers cost one computation a second, not 50, whatever the figures' size);
 * - bounded waits: a statement past FIGURES_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL, a
 *   connection not had within FIGURES_CONNECT_TIMEOUT_MS is given up; both answer 503 with
 *   Retry-After instead of holding the request.
 */

export const FIGURES_POOL_MAX = 2;
export const FIGURES_STATEMENT_TIMEOUT_MS = 5_000;
export const FIGURES_CONNECT_TIMEOUT_MS = 2_000;
export const FIGURES_RETRY_AFTER_SECONDS = 5;
/** Between the starts of two computations: bounds the figures' share of the database's time. */
export const FIGURES_MIN_INTERVAL_MS = 1_000;

/** PostgreSQL cancelled the statement (statement_timeout, 57014), or the pool had no connection in time. */
const BUSY = /57014|timeout exceeded when trying to connect|canceling statement due to statement timeout/i;

export class FiguresGate {
  /** The computation under way, if any. */
  private running: Promise<unknown> | null = null;
  /** The next computation, not started yet: every request arriving now gets its answer. */
  private pending: Promise<MetricsSummary> | null = null;
  private lastStart = 0;

  constructor(readonly pool: Pool) {}

  /** A pool of its own on the same database as `main`, with the figures' limits. */
  static beside(main: Pool): FiguresGate {
    const pool = new Pool({
      ...main.options,
      application_name: 'glappfri-figures',
      max: FIGURES_POOL_MAX,
      statement_timeout: FIGURES_STATEMENT_TIMEOUT_MS,
      connectionTimeoutMillis: FIGURES_CONNECT_TIMEOUT_MS,
    });
    // An idle connection that breaks is dropped; the next checkout opens a fresh one.
    pool.on('error', () => undefined);
    return new FiguresGate(pool);
  }

  /** Figures computed after this call was made: never an answer begun before it. */
  summary(): Promise<MetricsSummary> {
    this.pending ??= this.next();
    return this.pending;
  }

  private async next(): Promise<MetricsSummary> {
    await this.running?.catch(() => undefined);
    const wait = this.lastStart + FIGURES_MIN_INTERVAL_MS - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    // From here on, new requests wait for the computation after this one.
    this.pending = null;
    this.lastStart = Date.now();
    const run = this.compute();
    this.running = run;
    try {
      return await run;
    } finally {
      if (this.running === run) this.running = null;
    }
  }

  private async compute(): Promise<MetricsSummary> {
    try {
      return await metricsSummary(this.pool);
    } catch (err) {
      const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
      if (BUSY.test(text)) {
        throw new ProblemError(503, 'Service Unavailable', 'The figures are busy; try again shortly.', undefined, {
          headers: { 'retry-after': String(FIGURES_RETRY_AFTER_SECONDS) },
        });
      }
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
