import { signPayload } from './signature';

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  attempt: number;
  timeoutMs: number;
}

/** A failed attempt, described without the URL's query, the secret or the receiver's answer. */
export class WebhookFailed extends Error {}

/**
 * One signed POST. Resolves on a 2xx answer; anything else (another status, a redirect, a
 * network error, no answer in time) throws, and the activity's retry policy tries again with
 * the same delivery id, so receivers deduplicate on `X-Glappfri-Delivery-Id`.
 */
export async function postWebhook(req: WebhookRequest): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(req.timeoutMs),
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'Glappfri-Webhooks/1',
        'x-glappfri-event': req.eventType,
        'x-glappfri-delivery-id': req.deliveryId,
        'x-glappfri-attempt': String(req.attempt),
        'x-glappfri-timestamp': String(timestamp),
        'x-glappfri-signature': signPayload(req.secret, timestamp, req.body),
      },
      body: req.body,
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError' || e.name === 'AbortError') throw new WebhookFailed(`no answer within ${req.timeoutMs / 1000} s`);
    throw new WebhookFailed(`network error: ${e.cause?.code ?? e.name}`);
  }
  // Read (and drop) the answer so the connection can be reused.
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new WebhookFailed(`the receiver answered HTTP ${res.status}`);
}
