import type { Queryable } from './event-store';
import type { ChannelKind } from './subscription-channels';

/* The record of every delivery to a channel, and how its attempts went. */

export type DeliveryEventType = 'alert' | 'reminder' | 'digest';
export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface NewDelivery {
  deliveryId: string;
  channelId: string;
  agencyId: string;
  channel: ChannelKind;
  eventType: DeliveryEventType;
  /** The alert id, reminder id or digest run it carries. */
  subject: string;
  caseId: string | null;
  payload: unknown;
}

export interface Delivery extends NewDelivery {
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

export interface DeliveryRow {
  delivery_id: string;
  channel_id: string;
  agency_id: string;
  channel: ChannelKind;
  event_type: DeliveryEventType;
  subject: string;
  case_id: string | null;
  payload: unknown;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
}

export const toDelivery = (r: DeliveryRow): Delivery => ({
  deliveryId: r.delivery_id, channelId: r.channel_id, agencyId: r.agency_id, channel: r.channel, eventType: r.event_type,
  subject: r.subject, caseId: r.case_id, payload: r.payload, status: r.status, attempts: r.attempts, lastError: r.last_error,
  createdAt: r.created_at.toISOString(), lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
  deliveredAt: r.delivered_at?.toISOString() ?? null,
});

/**
 * Records deliveries once (a retried fan-out finds them already there) and returns the ids of
 * those still pending: new ones and any whose sending was never started or never finished.
 */
export async function recordDeliveries(db: Queryable, rows: readonly NewDelivery[]): Promise<string[]> {
  if (rows.length === 0) return [];
  await db.query(
    `INSERT INTO deliveries (delivery_id, channel_id, agency_id, channel, event_type, subject, case_id, payload)
     SELECT d.delivery_id, d.channel_id, d.agency_id, d.channel, d.event_type, d.subject, d.case_id, d.payload
       FROM json_to_recordset($1::json) AS d(delivery_id text, channel_id text, agency_id text, channel text,
            event_type text, subject text, case_id text, payload json)
     ON CONFLICT (delivery_id) DO NOTHING`,
    [JSON.stringify(rows.map((d) => ({
      delivery_id: d.deliveryId, channel_id: d.channelId, agency_id: d.agencyId, channel: d.channel,
      event_type: d.eventType, subject: d.subject, case_id: d.caseId, payload: d.payload,
    })))],
  );
  const r = await db.query<{ delivery_id: string }>(
    `SELECT delivery_id FROM deliveries WHERE delivery_id = ANY($1::text[]) AND status = 'pending'`,
    [rows.map((d) => d.deliveryId)],
  );
  const pending = new Set(r.rows.map((x) => x.delivery_id));
  return rows.map((d) => d.deliveryId).filter((id) => pending.has(id));
}

export async function findDelivery(db: Queryable, deliveryId: string): Promise<Delivery | null> {
  const r = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE delivery_id = $1', [deliveryId]);
  return r.rows[0] ? toDelivery(r.rows[0]) : null;
}

/** One attempt's outcome; a delivery already finished is left as it is. */
export async function recordAttempt(db: Queryable, deliveryId: string, outcome: { ok: true } | { ok: false; error: string }): Promise<void> {
  await db.query(
    `UPDATE deliveries SET attempts = attempts + 1, last_attempt_at = now(),
       status = CASE WHEN $2 THEN 'delivered' ELSE status END,
       delivered_at = CASE WHEN $2 THEN now() ELSE delivered_at END,
       last_error = COALESCE($3, last_error)
     WHERE delivery_id = $1 AND status = 'pending'`,
    [deliveryId, outcome.ok, outcome.ok ? null : outcome.error.slice(0, 500)],
  );
}

/** Gives up on a pending delivery: retries exhausted (`failed`) or nowhere to send it (`cancelled`). */
export async function finishDelivery(db: Queryable, deliveryId: string, status: 'failed' | 'cancelled', reason?: string): Promise<void> {
  await db.query(
    `UPDATE deliveries SET status = $2, last_error = COALESCE($3, last_error) WHERE delivery_id = $1 AND status = 'pending'`,
    [deliveryId, status, reason?.slice(0, 500) ?? null],
  );
}

/** Every notification sent about one case, oldest first, as sent (the client's own extract). */
export async function deliveriesAboutCase(db: Queryable, caseId: string) {
  const r = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE case_id = $1 ORDER BY created_at, delivery_id', [caseId]);
  return r.rows.map((row) => {
    const { channelId: _channelId, ...d } = toDelivery(row);
    return d;
  });
}
