import { ApplicationFailure, Context, log } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { Pool } from 'pg';
import { findDelivery, finishDelivery, recordAttempt, recordDeliveries, type NewDelivery } from '../../store/deliveries';
import { channelForSending, channelsOf, digestChannels, type Channel } from '../../store/subscription-channels';
import type { DeliveryActivities, DeliveryOutcome, Notification } from '../types';
import type { deliverToChannel } from '../../workflows/delivery';
import { createMailer, describeSmtpError, type Mailer } from './email';
import {
  caseLink, renderEmail, safeMessage, type ClientIdentityLike, type DeliveryPayload, type DigestAlertItem,
} from './payload';
import type { DeliverySettings } from './settings';
import { deliveryIdOf } from './signature';
import { TargetRefused } from './target-guard';
import { postWebhook, WebhookFailed } from './webhook';

export interface DeliveryDeps {
  pool: Pool;
  settings: DeliverySettings;
  /** Replaces SMTP (tests); by default one is made from `settings.smtp`. */
  mailer?: Mailer | null;
}

/** The most alerts one digest lists; the total is always given. */
const DIGEST_MAX_ALERTS = 200;

export interface DeliveryModule {
  /**
   * Fans a batch of notifications out to the subscribed channels: records one delivery per
   * notification × matching channel and starts one `deliverToChannel` workflow for each, whose
   * activity retries on its own. Idempotent: a retried batch finds its deliveries recorded and
   * their workflows started (the workflow id is the delivery id).
   */
  dispatch(batch: readonly Notification[]): Promise<void>;
  activities: DeliveryActivities;
  emailEnabled: boolean;
}

interface AlertRow {
  alert_id: string;
  case_id: string;
  agency_id: string;
  kind: string;
  level: number;
  since: Date;
  raised_at: Date;
  status: 'open' | 'acknowledged' | 'resolved';
  message: string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : d);

export function createDelivery(deps: DeliveryDeps): DeliveryModule {
  const { pool, settings } = deps;
  const mailer = deps.mailer !== undefined ? deps.mailer : settings.smtp ? createMailer(settings.smtp) : null;
  const usable = (c: Channel) => c.kind === 'webhook' || mailer !== null;

  async function identities(caseIds: readonly string[]): Promise<Map<string, ClientIdentityLike>> {
    if (caseIds.length === 0) return new Map();
    const r = await pool.query<{ case_id: string; name: string; personal_identity_number: string | null }>(
      'SELECT case_id, name, personal_identity_number FROM client_identities WHERE case_id = ANY($1::text[])',
      [[...new Set(caseIds)]],
    );
    return new Map(r.rows.map((x) => [x.case_id, { name: x.name, personalIdentityNumber: x.personal_identity_number }]));
  }

  async function startDeliveries(ids: readonly string[]): Promise<void> {
    const ctx = Context.current();
    await Promise.all(ids.map(async (deliveryId) => {
      try {
        await ctx.client.workflow.start<typeof deliverToChannel>('deliverToChannel', {
          taskQueue: ctx.info.taskQueue,
          workflowId: `delivery-${deliveryId}`,
          args: [{ deliveryId }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }));
  }

  async function dispatch(batch: readonly Notification[]): Promise<void> {
    const channels = (await channelsOf(pool, [...new Set(batch.map((n) => n.agencyId))])).filter(usable);
    const wanted = batch.flatMap((n) =>
      channels
        .filter((c) => c.agencyId === n.agencyId && (n.kind === 'alert' ? c.levels.includes(n.level ?? 0) : c.reminders))
        .map((c) => ({ n, c })),
    );
    if (wanted.length === 0) return;

    const alertIds = wanted.filter((w) => w.n.kind === 'alert').map((w) => w.n.id);
    const alerts = new Map(
      alertIds.length === 0
        ? []
        : (await pool.query<AlertRow>('SELECT * FROM alerts WHERE alert_id = ANY($1::text[])', [alertIds])).rows.map((a) => [a.alert_id, a]),
    );
    const reminderRows = wanted.some((w) => w.n.kind === 'reminder')
      ? (await pool.query<{ case_id: string; reminder_id: string; due_at: Date; sent_at: Date }>(
          'SELECT case_id, reminder_id, due_at, sent_at FROM reminders WHERE case_id = ANY($1::text[]) AND reminder_id = ANY($2::text[])',
          [wanted.map((w) => w.n.caseId), wanted.map((w) => w.n.id)],
        )).rows
      : [];
    const who = await identities(wanted.map((w) => w.n.caseId));

    const rows: NewDelivery[] = wanted.map(({ n, c }) => {
      const deliveryId = deliveryIdOf(n.kind, n.caseId, n.id, c.channelId);
      const link = caseLink(settings.publicBaseUrl, n.caseId);
      const identity = who.get(n.caseId) ?? null;
      let payload: DeliveryPayload;
      if (n.kind === 'alert') {
        const a = alerts.get(n.id);
        const kind = a?.kind ?? n.alertKind ?? 'alert';
        payload = {
          type: 'alert', deliveryId, agencyId: n.agencyId,
          alert: {
            alertId: n.id, caseId: n.caseId, kind, level: a?.level ?? n.level ?? 1,
            dueAt: a ? iso(a.since) : (n.dueAt ?? new Date().toISOString()),
            raisedAt: a ? iso(a.raised_at) : new Date().toISOString(),
            message: safeMessage(a?.message ?? n.message, kind, identity), link,
          },
        };
      } else {
        const r = reminderRows.find((x) => x.case_id === n.caseId && x.reminder_id === n.id);
        payload = {
          type: 'reminder', deliveryId, agencyId: n.agencyId,
          reminder: {
            caseId: n.caseId, dueAt: r ? iso(r.due_at) : (n.dueAt ?? ''), sentAt: r ? iso(r.sent_at) : new Date().toISOString(),
            message: safeMessage(n.message, 'reminder', identity), link,
          },
        };
      }
      return {
        deliveryId, channelId: c.channelId, agencyId: n.agencyId, channel: c.kind, eventType: n.kind,
        subject: n.id, caseId: n.caseId, payload,
      };
    });
    const pending = await recordDeliveries(pool, rows);
    await startDeliveries(pending);
  }

  const activities: DeliveryActivities = {
    async sendDelivery(deliveryId: string): Promise<DeliveryOutcome> {
      const d = await findDelivery(pool, deliveryId);
      if (!d) throw ApplicationFailure.nonRetryable(`no delivery ${deliveryId}`, 'UnknownDelivery');
      if (d.status !== 'pending') return d.status === 'delivered' ? 'delivered' : d.status;
      const channel = await channelForSending(pool, d.channelId);
      if (!channel) {
        await finishDelivery(pool, deliveryId, 'cancelled', 'the subscription was removed');
        return 'cancelled';
      }
      const payload = d.payload as DeliveryPayload;
      const attempt = Context.current().info.attempt;
      try {
        if (channel.kind === 'webhook') {
          await postWebhook({
            url: channel.target, secret: channel.secret ?? '', deliveryId, eventType: d.eventType,
            body: JSON.stringify(payload), attempt, timeoutMs: settings.webhookTimeoutMs,
            rules: settings.webhookTargets, ...(settings.lookup ? { lookup: settings.lookup } : {}),
          });
        } else {
          if (!mailer) {
            await finishDelivery(pool, deliveryId, 'cancelled', 'e-mail is not configured (no SMTP_HOST)');
            return 'cancelled';
          }
          await mailer.send({ to: channel.target, deliveryId, eventType: d.eventType, ...renderEmail(payload) });
        }
      } catch (err) {
        if (err instanceof TargetRefused) {
          // Not retried: the same rules would refuse again, and the administrator sees why at once.
          await recordAttempt(pool, deliveryId, { ok: false, error: err.message });
          await finishDelivery(pool, deliveryId, 'cancelled', err.message);
          log.warn('delivery refused: the target is not allowed', { deliveryId, refusal: err.refusal });
          return 'cancelled';
        }
        const reason = err instanceof WebhookFailed
          ? err.message
          : describeSmtpError(err, [channel.secret ?? undefined, settings.smtp?.password, settings.smtp?.user]);
        await recordAttempt(pool, deliveryId, { ok: false, error: reason });
        log.warn('delivery attempt failed', { deliveryId, channel: channel.kind, attempt, reason });
        throw ApplicationFailure.retryable(reason, 'DeliveryFailed');
      }
      await recordAttempt(pool, deliveryId, { ok: true });
      log.info('delivered', { deliveryId, channel: channel.kind, eventType: d.eventType, attempt });
      return 'delivered';
    },

    async giveUpDelivery(deliveryId: string): Promise<void> {
      await finishDelivery(pool, deliveryId, 'failed');
      log.error('delivery failed for good', { deliveryId });
    },

    async planDigests(run: { runKey: string; at: string }): Promise<string[]> {
      const channels = (await digestChannels(pool)).filter(usable);
      if (channels.length === 0) return [];
      const agencyIds = [...new Set(channels.map((c) => c.agencyId))];
      const open = (await pool.query<AlertRow>(
        `SELECT * FROM alerts a WHERE a.agency_id = ANY($1::text[]) AND a.status <> 'resolved'
            AND NOT EXISTS (SELECT 1 FROM case_summaries s WHERE s.case_id = a.case_id AND s.erased_at IS NOT NULL)
          ORDER BY a.level DESC, a.raised_at, a.alert_id`,
        [agencyIds],
      )).rows;
      if (open.length === 0) return [];
      const who = await identities(open.map((a) => a.case_id));
      const rows: NewDelivery[] = [];
      for (const c of channels) {
        // A channel's levels choose the alerts it lists; a digest-only channel (levels []) lists them all.
        const mine = open.filter((a) => a.agency_id === c.agencyId && (c.levels.length === 0 || c.levels.includes(a.level)));
        // Nothing unresolved, no digest: a quiet inbox means there is nothing to do.
        if (mine.length === 0) continue;
        const deliveryId = deliveryIdOf('digest', run.runKey, c.channelId);
        const alerts: DigestAlertItem[] = mine.slice(0, DIGEST_MAX_ALERTS).map((a) => ({
          alertId: a.alert_id, caseId: a.case_id, kind: a.kind, level: a.level, status: a.status === 'acknowledged' ? 'acknowledged' : 'open',
          dueAt: iso(a.since), raisedAt: iso(a.raised_at), message: safeMessage(a.message, a.kind, who.get(a.case_id) ?? null),
          link: caseLink(settings.publicBaseUrl, a.case_id),
        }));
        const payload: DeliveryPayload = {
          type: 'digest', deliveryId, agencyId: c.agencyId, digest: { generatedAt: run.at, total: mine.length, alerts },
        };
        rows.push({ deliveryId, channelId: c.channelId, agencyId: c.agencyId, channel: c.kind, eventType: 'digest', subject: run.runKey, caseId: null, payload });
      }
      return recordDeliveries(pool, rows);
    },
  };

  return { dispatch, activities, emailEnabled: mailer !== null };
}
