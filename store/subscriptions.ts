import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { agencyIdSchema } from '../domain/schemas/vocabulary';
import type { Queryable } from './event-store';
import { inTransaction } from './transaction';

/*
 * Agencies' delivery subscriptions (webhooks and e-mail) and the record of every delivery.
 * The zod schemas here validate `PUT /v1/agencies/{agencyId}/subscriptions` and document it.
 */

const levelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)]);
const levelsSchema = z
  .array(levelSchema)
  .max(3)
  .refine((l) => new Set(l).size === l.length, 'each level at most once')
  .default([1, 2, 3])
  .meta({
    description:
      'Alert levels sent to this channel as they are raised, and listed in its digest; [] sends no single alerts '
      + '(a digest-only channel: its digest lists every level; reminders still go out when asked for)',
  });
const remindersFlag = z.boolean().default(false).meta({ description: 'Also send reminders before an intervention is due' });
const digestFlag = z.boolean().default(true).meta({ description: 'Also send the digest of the open alerts' });

export const webhookSubscriptionInputSchema = z.object({
  url: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .max(2000)
    // fetch refuses such URLs, and GET would show the password: the secret is what authenticates.
    .refine((u) => !URL.canParse(u) || (new URL(u).username === '' && new URL(u).password === ''), 'no user name or password in the URL; the secret signs every request'),
  secret: z
    .string()
    .min(16, 'at least 16 characters')
    .max(256)
    .optional()
    .meta({ description: 'Signs every delivery (HMAC-SHA256). Required for a new URL; left out, the stored secret of the same URL is kept.' }),
  levels: levelsSchema,
  reminders: remindersFlag,
  digest: digestFlag,
});
export const emailSubscriptionInputSchema = z.object({
  address: z.email('an e-mail address').max(254),
  levels: levelsSchema,
  reminders: remindersFlag,
  digest: digestFlag,
});

export const subscriptionsBodySchema = z
  .object({
    webhooks: z.array(webhookSubscriptionInputSchema).max(20).default([]),
    emails: z.array(emailSubscriptionInputSchema).max(50).default([]),
  })
  .superRefine((body, ctx) => {
    const seen = new Set<string>();
    body.webhooks.forEach((w, i) => {
      if (seen.has(targetKey('webhook', w.url))) ctx.addIssue({ code: 'custom', path: ['webhooks', i, 'url'], message: 'listed twice' });
      seen.add(targetKey('webhook', w.url));
    });
    body.emails.forEach((e, i) => {
      if (seen.has(targetKey('email', e.address))) ctx.addIssue({ code: 'custom', path: ['emails', i, 'address'], message: 'listed twice' });
      seen.add(targetKey('email', e.address));
    });
  })
  .meta({ id: 'SubscriptionsBody' });
export type SubscriptionsBody = z.infer<typeof subscriptionsBodySchema>;

export const subscriptionsSchema = z
  .object({
    agencyId: agencyIdSchema,
    webhooks: z.array(z.object({
      url: z.string(),
      secretHint: z.string().meta({ description: 'The last four characters of the secret; the secret itself is never returned' }),
      levels: z.array(levelSchema),
      reminders: z.boolean(),
      digest: z.boolean(),
    })),
    emails: z.array(z.object({ address: z.string(), levels: z.array(levelSchema), reminders: z.boolean(), digest: z.boolean() })),
    updatedAt: z.string().nullable(),
  })
  .meta({ id: 'Subscriptions' });
export type Subscriptions = z.infer<typeof subscriptionsSchema>;

export type ChannelKind = 'webhook' | 'email';

export interface Channel {
  channelId: string;
  agencyId: string;
  kind: ChannelKind;
  /** The URL or the e-mail address. */
  target: string;
  levels: number[];
  reminders: boolean;
  digest: boolean;
}
export interface ChannelWithSecret extends Channel {
  secret: string | null;
}

/** E-mail addresses compare without case; URLs exactly. */
function targetKey(kind: ChannelKind, target: string): string {
  return `${kind}\n${kind === 'email' ? target.toLowerCase() : target}`;
}

/** Stable for the same agency, kind and target, so a channel PUT again keeps its pending deliveries. */
export function channelIdOf(agencyId: string, kind: ChannelKind, target: string): string {
  return createHash('sha256').update(`${agencyId}\n${targetKey(kind, target)}`).digest('hex').slice(0, 32);
}

export const secretHint = (secret: string): string => `****${secret.slice(-4)}`;

/** A new webhook URL came without a secret (index into `webhooks`). */
export class MissingSecret extends Error {
  constructor(readonly index: number) {
    super('a new webhook needs a secret');
  }
}

interface ChannelRow {
  channel_id: string;
  agency_id: string;
  kind: ChannelKind;
  target: string;
  secret: string | null;
  levels: number[];
  reminders: boolean;
  digest: boolean;
  updated_at: Date;
}

const toChannel = (r: ChannelRow): ChannelWithSecret => ({
  channelId: r.channel_id, agencyId: r.agency_id, kind: r.kind, target: r.target, secret: r.secret,
  levels: r.levels, reminders: r.reminders, digest: r.digest,
});
const withoutSecret = ({ secret: _secret, ...c }: ChannelWithSecret): Channel => c;

export async function agencyExists(db: Queryable, agencyId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM agencies WHERE agency_id = $1', [agencyId]);
  return (r.rowCount ?? 0) > 0;
}

/** Replaces the agency's channels with `body`, in one transaction; returns what is stored. */
export async function replaceSubscriptions(pool: Pool, agencyId: string, body: SubscriptionsBody): Promise<Subscriptions> {
  await inTransaction(pool, async (tx) => {
    const existing = await tx.query<{ channel_id: string; secret: string | null }>(
      'SELECT channel_id, secret FROM subscription_channels WHERE agency_id = $1 FOR UPDATE',
      [agencyId],
    );
    const secrets = new Map(existing.rows.map((r) => [r.channel_id, r.secret]));
    const rows = [
      ...body.webhooks.map((w, i) => {
        const channelId = channelIdOf(agencyId, 'webhook', w.url);
        const secret = w.secret ?? secrets.get(channelId);
        if (!secret) throw new MissingSecret(i);
        return { channel_id: channelId, kind: 'webhook', target: w.url, secret, levels: w.levels, reminders: w.reminders, digest: w.digest, position: i };
      }),
      ...body.emails.map((e, i) => ({
        channel_id: channelIdOf(agencyId, 'email', e.address), kind: 'email', target: e.address, secret: null,
        levels: e.levels, reminders: e.reminders, digest: e.digest, position: i,
      })),
    ];
    await tx.query('DELETE FROM subscription_channels WHERE agency_id = $1 AND NOT (channel_id = ANY($2::text[]))', [
      agencyId, rows.map((r) => r.channel_id),
    ]);
    for (const r of rows) {
      await tx.query(
        `INSERT INTO subscription_channels (channel_id, agency_id, kind, target, secret, levels, reminders, digest, position, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())
         ON CONFLICT (channel_id) DO UPDATE SET target = EXCLUDED.target, secret = EXCLUDED.secret, levels = EXCLUDED.levels,
           reminders = EXCLUDED.reminders, digest = EXCLUDED.digest, position = EXCLUDED.position, updated_at = now()`,
        [r.channel_id, agencyId, r.kind, r.target, r.secret, r.levels, r.reminders, r.digest, r.position],
      );
    }
  });
  return getSubscriptions(pool, agencyId);
}

export async function getSubscriptions(db: Queryable, agencyId: string): Promise<Subscriptions> {
  const r = await db.query<ChannelRow>(
    'SELECT * FROM subscription_channels WHERE agency_id = $1 ORDER BY kind DESC, position, target',
    [agencyId],
  );
  const updated = r.rows.reduce<Date | null>((max, x) => (!max || x.updated_at > max ? x.updated_at : max), null);
  return {
    agencyId,
    webhooks: r.rows.filter((x) => x.kind === 'webhook').map((x) => ({
      url: x.target, secretHint: secretHint(x.secret ?? ''), levels: x.levels as never, reminders: x.reminders, digest: x.digest,
    })),
    emails: r.rows.filter((x) => x.kind === 'email').map((x) => ({
      address: x.target, levels: x.levels as never, reminders: x.reminders, digest: x.digest,
    })),
    updatedAt: updated ? updated.toISOString() : null,
  };
}

/** The channels of these agencies, without their secrets. */
export async function channelsOf(db: Queryable, agencyIds: readonly string[]): Promise<Channel[]> {
  if (agencyIds.length === 0) return [];
  const r = await db.query<ChannelRow>('SELECT * FROM subscription_channels WHERE agency_id = ANY($1::text[]) ORDER BY agency_id, kind, position', [
    [...agencyIds],
  ]);
  return r.rows.map((x) => withoutSecret(toChannel(x)));
}

/** Every channel that wants the digest, without secrets. */
export async function digestChannels(db: Queryable): Promise<Channel[]> {
  const r = await db.query<ChannelRow>('SELECT * FROM subscription_channels WHERE digest ORDER BY agency_id, kind, position');
  return r.rows.map((x) => withoutSecret(toChannel(x)));
}

/** One channel with its secret, for the moment of sending only. */
export async function channelForSending(db: Queryable, channelId: string): Promise<ChannelWithSecret | null> {
  const r = await db.query<ChannelRow>('SELECT * FROM subscription_channels WHERE channel_id = $1', [channelId]);
  return r.rows[0] ? toChannel(r.rows[0]) : null;
}

// ---------------------------------------------------------------------------------------------
// Deliveries

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

interface DeliveryRow {
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

const toDelivery = (r: DeliveryRow): Delivery => ({
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

export const deliverySchema = z
  .object({
    deliveryId: z.string(),
    channel: z.enum(['webhook', 'email']),
    target: z.string().nullable().meta({ description: 'The URL or address, while the channel is still subscribed' }),
    eventType: z.enum(['alert', 'reminder', 'digest']),
    subject: z.string(),
    caseId: z.string().nullable(),
    status: z.enum(['pending', 'delivered', 'failed', 'cancelled']),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    lastAttemptAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .meta({ id: 'Delivery' });

/** Every notification sent about one case, oldest first, as sent (the client's own extract). */
export async function deliveriesAboutCase(db: Queryable, caseId: string) {
  const r = await db.query<DeliveryRow>('SELECT * FROM deliveries WHERE case_id = $1 ORDER BY created_at, delivery_id', [caseId]);
  return r.rows.map((row) => {
    const { channelId: _channelId, ...d } = toDelivery(row);
    return d;
  });
}

/** The agency's latest deliveries, newest first, for an administrator asking "did it go out?". */
export async function listDeliveries(
  db: Queryable, agencyId: string, opts: { status?: DeliveryStatus; limit: number },
): Promise<z.infer<typeof deliverySchema>[]> {
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
