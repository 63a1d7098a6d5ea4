import { z } from 'zod';
import { agencyIdSchema } from '../../domain/schemas/vocabulary';
import { targetKey } from '../../store/subscription-channels';

/* `PUT /v1/agencies/{agencyId}/subscriptions` and the delivery log, as zod: they validate and document. */

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
