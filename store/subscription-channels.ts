import { createHash } from 'node:crypto';
import type { Pool } from 'pg';
import type { Queryable } from './event-store';
import { inTransaction } from './transaction';

/*
 * Agencies' delivery channels (webhooks and e-mail): what `PUT /v1/agencies/{agencyId}/subscriptions`
 * stores (api/schemas/subscriptions.ts validates it) and what the delivery activities send to.
 */

type Level = 1 | 2 | 3;
interface ChannelChoice { levels: Level[]; reminders: boolean; digest: boolean }

/** A validated subscriptions body; the route's zod schema must stay assignable to it. */
export interface SubscriptionsBody {
  webhooks: (ChannelChoice & { url: string; secret?: string })[];
  emails: (ChannelChoice & { address: string })[];
}

/** The agency's subscriptions as the API shows them: secrets only as a hint. */
export interface Subscriptions {
  agencyId: string;
  webhooks: (ChannelChoice & { url: string; secretHint: string })[];
  emails: (ChannelChoice & { address: string })[];
  updatedAt: string | null;
}

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
export function targetKey(kind: ChannelKind, target: string): string {
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
