import { Pool } from 'pg';
import { metricsSummary, type MetricsSummary } from '../store/metrics-summary';
import { ProblemError } from './problem';

/**
 * The figures (`GET /v1/metrics/summary`) are the one read whose cost grows with every case ever
 * released, so they are kept away from the commands' connections:
 *
 * - their own small pool (FIGURES_POOL_MAX connections), so however many dashboards ask, the API's
 *   pool, which commands and lists need, never waits behind them;
 * - one computation at a time: requests that arrive while one runs get its answer (figures of a
 *   moment ago, not of the instant asked), so 50 concurrent calls cost one computation, not 50;
 * - bounded waits: a statement past FIGURES_STATEMENT_TIMEOUT_MS is cancelled by PostgreSQL, a
 *   connection not had within FIGURES_CONNECT_TIMEOUT_MS is given up; both answer 503 with
 *   Retry-After instead of holding the request.
 */

export const FIGURES_POOL_MAX = 2;
export const FIGURES_STATEMENT_TIMEOUT_MS = 5_000;
export const FIGURES_CONNECT_TIMEOUT_MS = 2_000;
export const FIGURES_RETRY_AFTER_SECONDS = 5;

/** PostgreSQL cancelled the statement (statement_timeout), or the pool had no connection in time. */
const BUSY = /timeout exceeded when trying to connect|canceling statement due to statement timeout/i;

export class FiguresGate {
  private running: Promise<MetricsSummary> | null = null;

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

  summary(): Promise<MetricsSummary> {
    this.running ??= metricsSummary(this.pool).then(
      (r) => {
        this.running = null;
        return r;
      },
      (err: unknown) => {
        this.running = null;
        const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
        if (BUSY.test(text) || (err as { code?: string })?.code === '57014') {
          throw new ProblemError(503, 'Service Unavailable', 'The figures are busy; try again shortly.', undefined, {
            headers: { 'retry-after': String(FIGURES_RETRY_AFTER_SECONDS) },
          });
        }
        throw err;
      },
    );
    return this.running;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
