import { Pool } from 'pg';
import type { FiguresPeriod } from '../domain/figures-period';
import { metricsSummary, type MetricsSummary } from '../store/metrics-summary';
import { ProblemError } from './problem';

/**
 * The figures (`GET /v1/metrics/summary`) are the one read whose cost grows with every case ever
 * released, so they are kept away from the commands' connections:
 *
 * - their own small pool (FIGURES_POOL_MAX connections), so however many dashboards ask, the API's
 *   pool, which commands and lists need, never waits behind them;
 * - one computation at a time, at most one a second: requests arriving while one runs wait for
 *   the next one for their period, which answers all of them (so every answer is computed after
 *   its request came, and 50 concurrent callers cost one computation a second, not 50, whatever
 *   the figures' size); callers asking for different periods queue behind each other;
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
  /** The last computation queued: each one starts after the one before it has ended. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Per period, the next computation, not started yet: every request for it arriving now gets its answer. */
  private pending = new Map<string, Promise<MetricsSummary>>();
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

  /** Figures for `period` computed after this call was made: never an answer begun before it. */
  summary(period: FiguresPeriod): Promise<MetricsSummary> {
    const key = `${period.from}/${period.to}`;
    let next = this.pending.get(key);
    if (!next) {
      next = this.queue(key, period);
      this.pending.set(key, next);
    }
    return next;
  }

  private queue(key: string, period: FiguresPeriod): Promise<MetricsSummary> {
    const run: Promise<MetricsSummary> = this.tail.catch(() => undefined).then(async () => {
      const wait = this.lastStart + FIGURES_MIN_INTERVAL_MS - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      // From here on, new requests for this period wait for the computation after this one.
      if (this.pending.get(key) === run) this.pending.delete(key);
      this.lastStart = Date.now();
      return this.compute(period);
    });
    this.tail = run;
    return run;
  }

  private async compute(period: FiguresPeriod): Promise<MetricsSummary> {
    try {
      return await metricsSummary(this.pool, { now: new Date(), period });
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
