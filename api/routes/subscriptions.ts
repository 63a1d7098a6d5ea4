import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { agencyIdSchema } from '../../domain/schemas/vocabulary';
import { agencyExists } from '../../store/agencies';
import { listDeliveries } from '../../store/delivery-log';
import { getSubscriptions, MissingSecret, replaceSubscriptions } from '../../store/subscription-channels';
import { REFUSAL_TEXT, urlRefusal, type WebhookTargetRules } from '../../activities/delivery/target-guard';
import { requireRole } from '../auth';
import { orUnavailable } from '../case-service';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { deliverySchema, subscriptionsBodySchema, subscriptionsSchema } from '../schemas/subscriptions';
import { items } from '../schemas/views';

const params = z.object({ agencyId: agencyIdSchema });

/**
 * Where an agency's alerts, reminders and digests are delivered (webhooks, e-mail): the system
 * owner's. Secrets go in and never come out; the response shows their last four characters.
 */
export const subscriptionRoutes: FastifyPluginAsyncZod<{ pool: Pool; webhookTargets: WebhookTargetRules }> = async (app, { pool, webhookTargets }) => {
  const admin = requireRole('admin');

  const knownAgency = async (agencyId: string) => {
    if (!(await orUnavailable(() => agencyExists(pool, agencyId)))) throw problems.notFound('No such agency.');
  };

  app.put('/v1/agencies/:agencyId/subscriptions', {
    onRequest: admin,
    schema: {
      tags: ['administration'], summary: "Replace the agency's delivery subscriptions (webhooks and e-mail)",
      description:
        'Webhooks receive signed JSON (X-Glappfri-Delivery-Id, X-Glappfri-Timestamp, X-Glappfri-Signature: ' +
        'v1=hex HMAC-SHA256 of "<timestamp>.<body>" with the secret), at least once: deduplicate on the delivery id.',
      params, body: subscriptionsBodySchema,
      response: { 200: subscriptionsSchema, ...problemResponses(400, 401, 403, 404, 503) },
    },
  }, async (request) => {
    const { agencyId } = request.params;
    // What the URL alone shows is refused here, before anything is stored or sent; names are
    // resolved and checked again at every delivery (activities/delivery/target-guard.ts).
    const refused = request.body.webhooks.flatMap((w, i) => {
      const refusal = urlRefusal(w.url, webhookTargets);
      return refusal ? [{ path: `webhooks.${i}.url`, message: REFUSAL_TEXT[refusal] }] : [];
    });
    if (refused.length > 0) throw problems.badRequest('A webhook target is not allowed.', refused);
    await knownAgency(agencyId);
    try {
      return await orUnavailable(() => replaceSubscriptions(pool, agencyId, request.body));
    } catch (err) {
      if (err instanceof MissingSecret) {
        throw problems.badRequest('A new webhook needs a secret.', [{ path: `webhooks.${err.index}.secret`, message: 'required for a URL not subscribed before' }]);
      }
      throw err;
    }
  });

  app.get('/v1/agencies/:agencyId/subscriptions', {
    onRequest: admin,
    schema: {
      tags: ['administration'], summary: "The agency's delivery subscriptions (secrets are never returned)",
      params, response: { 200: subscriptionsSchema, ...problemResponses(401, 403, 404, 503) },
    },
  }, async (request) => {
    await knownAgency(request.params.agencyId);
    return orUnavailable(() => getSubscriptions(pool, request.params.agencyId));
  });

  app.get('/v1/agencies/:agencyId/deliveries', {
    onRequest: admin,
    schema: {
      tags: ['administration'], summary: "The agency's latest deliveries and how they went",
      params,
      querystring: z.object({
        status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      }),
      response: { 200: items(deliverySchema), ...problemResponses(401, 403, 404, 503) },
    },
  }, async (request) => {
    await knownAgency(request.params.agencyId);
    return { items: await orUnavailable(() => listDeliveries(pool, request.params.agencyId, request.query)) };
  });
};
