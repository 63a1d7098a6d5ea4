import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { signPayload } from './signature';
import { checkedAddress, systemLookup, TargetRefused, type HostLookup, type ResolvedAddress, type WebhookTargetRules } from './target-guard';
import { answeredText, describeNetworkError, timeoutText, WebhookFailed } from './webhook-failures';

export { WebhookFailed } from './webhook-failures';

export interface WebhookRequest {
  url: string;
  secret: string;
  deliveryId: string;
  eventType: string;
  body: string;
  attempt: number;
  timeoutMs: number;
  rules: WebhookTargetRules;
  /** Resolves the URL's host before it is checked; the system resolver by default. */
  lookup?: HostLookup;
}

/** A `lookup` for the socket that always answers the address already checked (no second DNS query). */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node asks with `all: true` when it tries several addresses (autoSelectFamily).
    if (options.all) (callback as unknown as (e: null, a: ResolvedAddress[]) => void)(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
}

/**
 * One signed POST. Resolves on a 2xx answer; anything else (another status, a redirect, a
 * network error, no answer in time) throws {@link WebhookFailed}, and the activity's retry
 * policy tries again with the same delivery id, so receivers deduplicate on
 * `X-Glappfri-Delivery-Id`. A target the rules refuse throws `TargetRefused` before any
 * connection is made. Redirects are not followed: the next hop would not have been checked.
 */
export async function postWebhook(req: WebhookRequest): Promise<void> {
  const pinned = await checkedAddress(req.url, req.rules, req.lookup ?? systemLookup).catch((err: unknown) => {
    if (err instanceof TargetRefused) throw err;
    throw new WebhookFailed(describeNetworkError(err));
  });
  const url = new URL(req.url);
  const timestamp = Math.floor(Date.now() / 1000);
  const options: RequestOptions = {
    method: 'POST',
    // The host name stays in the URL, so the Host header and TLS SNI/certificate check use it;
    // only the socket's address comes from the pinned lookup.
    lookup: pinnedLookup(pinned),
    // A fresh connection each time: a kept-alive socket would skip the check of this attempt.
    agent: false,
    signal: AbortSignal.timeout(req.timeoutMs),
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(req.body),
      'user-agent': 'Glappfri-Webhooks/1',
      'x-glappfri-event': req.eventType,
      'x-glappfri-delivery-id': req.deliveryId,
      'x-glappfri-attempt': String(req.attempt),
      'x-glappfri-timestamp': String(timestamp),
      'x-glappfri-signature': signPayload(req.secret, timestamp, req.body),
    },
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const status = await new Promise<number>((resolve, reject) => {
    const r = send(url, options, (res) => {
      // Read (and drop) the answer: its content is the receiver's business, never shown.
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body);
  }).catch((err: Error) => {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') throw new WebhookFailed(timeoutText(req.timeoutMs));
    throw new WebhookFailed(describeNetworkError(err));
  });
  if (status < 200 || status >= 300) throw new WebhookFailed(answeredText(status));
}
