import type { Pool } from 'pg';
import { Counter, Gauge, type Registry } from 'prom-client';
import { alertChangesOfEveryAgency, alertFeedHead } from '../store/alert-changes';
import { recordReads, recordReadsOfMany, type BatchedRead } from '../store/audit-log';
import { compareCursors, type LogCursor } from '../store/log-order';
import { alertChangesSince, type AlertView } from '../store/read-models';

/** Who a stream shows alerts to, and where it is in the sequence of alert changes. */
export interface StreamSubscriber {
  reader: { sub: string; role: string; agencyId: string };
  /** The last change this stream has (Last-Event-ID); changes up to it are never sent again. */
  after: LogCursor;
  send(at: LogCursor, alert: AlertView): void;
  heartbeat(): void;
}

export interface AlertFeedOptions {
  pollMs: number;
  heartbeatMs: number;
  /** Changes read per query; a full batch is followed by the next at once. */
  batch?: number;
  registry?: Registry;
}

const AUDIT = { route: '/v1/alerts/stream', method: 'GET', status: 200, what: 'alert-stream' } as const;

/**
 * One poller per API process for every open alert stream: a thousand dashboards cost one query
 * of `alert_changes` per poll, not a thousand. The poller runs only while a stream is open.
 *
 * Every read is logged before it is sent, in one statement per poll for all readers; when the
 * log cannot be written nothing is sent and the same changes are tried again on the next poll.
 * A stream that resumes (Last-Event-ID behind the feed) is caught up by the poller itself,
 * before the next shared read, so no change falls between its backlog and the live feed.
 */
export class AlertFeed {
  /** Streams that receive the shared reads. */
  private readonly live = new Set<StreamSubscriber>();
  /** Streams still to be caught up from their own position. */
  private readonly joining = new Set<StreamSubscriber>();
  /** Every change up to here has been read by the feed (and is committed); null while idle. */
  private cursor: LogCursor | null = null;
  private starting: Promise<LogCursor> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = false;
  private lastBeat = Date.now();
  private readonly queries: Counter | undefined;

  constructor(private readonly pool: Pool, private readonly options: AlertFeedOptions) {
    const registers = options.registry ? [options.registry] : [];
    if (options.registry) {
      // A registry shared by two apps in one process (tests) keeps the newer feed's figures.
      for (const name of ['glappfri_alert_feed_queries_total', 'glappfri_alert_streams_open']) options.registry.removeSingleMetric(name);
      this.queries = new Counter({ name: 'glappfri_alert_feed_queries_total', help: 'Queries of alert_changes by the shared alert feed', registers });
      const size = () => this.size;
      new Gauge({
        name: 'glappfri_alert_streams_open',
        help: 'Alert streams open in this process',
        registers,
        collect() {
          this.set(size());
        },
      });
    }
  }

  get size(): number {
    return this.live.size + this.joining.size;
  }

  /**
   * The feed's position, read from the database when it is idle: a fresh stream starts here, and
   * every change committed after this call is sent to it. Throws when the database is away.
   */
  async position(): Promise<LogCursor> {
    if (this.cursor !== null) return this.cursor;
    this.starting ??= alertFeedHead(this.pool).finally(() => (this.starting = null));
    const latest = await this.starting;
    this.cursor ??= latest;
    return this.cursor;
  }

  /** Adds a stream; call {@link position} first. Returns the function that removes it. */
  subscribe(subscriber: StreamSubscriber): () => void {
    if (this.cursor !== null && compareCursors(subscriber.after, this.cursor) >= 0) {
      this.live.add(subscriber);
      this.schedule(this.options.pollMs);
    } else {
      // Its backlog is read at once, not at the next poll.
      this.joining.add(subscriber);
      this.schedule(0);
    }
    return () => {
      this.live.delete(subscriber);
      this.joining.delete(subscriber);
    };
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    if (this.stopped || this.running) return;
    if (this.timer) {
      if (ms > 0) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    this.timer = null;
    if (this.size === 0) {
      // Idle: the next stream reads the position afresh rather than inherit an old one.
      this.cursor = null;
      return;
    }
    this.running = true;
    let again = false;
    try {
      const cursor = await this.position();
      await this.catchUp();
      again = await this.readShared(cursor);
      if (Date.now() - this.lastBeat >= this.options.heartbeatMs) {
        for (const s of this.live) s.heartbeat();
        this.lastBeat = Date.now();
      }
    } catch {
      // The database is away for a moment: every stream keeps its place and we try again.
    } finally {
      this.running = false;
    }
    this.schedule(again ? 0 : this.options.pollMs);
  }

  /** Each joining stream gets its own backlog (its agency, what it may see), then joins the shared reads. */
  private async catchUp(): Promise<void> {
    const batch = this.options.batch ?? 500;
    for (const s of [...this.joining]) {
      for (;;) {
        this.queries?.inc();
        const changes = await alertChangesSince(this.pool, s.reader.agencyId, s.after, batch);
        if (!this.joining.has(s)) break; // closed meanwhile
        if (changes.length > 0) {
          await recordReads(this.pool, { userId: s.reader.sub, role: s.reader.role, agencyId: s.reader.agencyId, caseIds: changes.map((c) => c.alert.caseId), ...AUDIT });
          for (const c of changes) s.send(c.cursor, c.alert);
          s.after = changes[changes.length - 1]!.cursor;
        }
        if (changes.length < batch) break;
      }
      // Everything committed up to the shared cursor was committed before the backlog was read.
      if (this.joining.delete(s)) this.live.add(s);
    }
  }

  /** One read for every live stream; true when the batch was full and more may be waiting. */
  private async readShared(cursor: LogCursor): Promise<boolean> {
    const batch = this.options.batch ?? 500;
    this.queries?.inc();
    const changes = await alertChangesOfEveryAgency(this.pool, cursor, batch);
    if (changes.length === 0) return false;
    const deliveries: { s: StreamSubscriber; at: LogCursor; alert: AlertView }[] = [];
    const reads: BatchedRead[] = [];
    for (const c of changes) {
      if (!c.visible) continue;
      for (const s of this.live) {
        if (s.reader.agencyId !== c.agencyId || compareCursors(c.cursor, s.after) <= 0) continue;
        deliveries.push({ s, at: c.cursor, alert: c.alert });
        reads.push({ userId: s.reader.sub, role: s.reader.role, agencyId: s.reader.agencyId, caseId: c.alert.caseId });
      }
    }
    await recordReadsOfMany(this.pool, reads, AUDIT);
    for (const d of deliveries) {
      if (!this.live.has(d.s)) continue;
      d.s.send(d.at, d.alert);
      d.s.after = d.at;
    }
    this.cursor = changes[changes.length - 1]!.cursor;
    return changes.length === batch;
  }
}
