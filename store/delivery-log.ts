import type { Queryable } from './event-store';
import { toDelivery, type Delivery, type DeliveryRow, type DeliveryStatus } from './deliveries';

/** A delivery as an administrator sees it: to where, while the channel is still subscribed; no payload. */
export type DeliveryLogEntry = Omit<Delivery, 'payload' | 'channelId' | 'agencyId'> & { target: string | null };

/** The agency's latest deliveries, newest first, for an administrator asking "did it go out?". */
export async function listDeliveries(
  db: Queryable, agencyId: string, opts: { status?: DeliveryStatus; limit: number },
): Promise<DeliveryLogEntry[]> {
  const r = await db.query<DeliveryRow & { target: string | null }>(
    `SELECT d.*, c.target FROM deliveries d LEFT JOIN subscription_channels c USING (channel_id)
      WHERE d.agency_id = $1 AND ($2::text IS NULL OR d.status = $2)
      ORDER BY d.created_at DESC, d.delivery_id LIMIT $3`,
    [agencyId, opts.status ?? null, opts.limit],
  );
  return r.rows.map((row) => {
    const { payload: _payload, channelId: _channelId, agencyId: _agencyId, ...d } = toDelivery(row);
    return { ...d, target: row.target };
  });
}
