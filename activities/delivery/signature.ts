import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures: `X-Glappfri-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with
 * the subscription's secret, where timestamp is `X-Glappfri-Timestamp` (unix seconds) and body
 * the exact bytes of the request body. Receivers recompute it, compare in constant time and
 * refuse timestamps far from now (replays).
 */
export const SIGNATURE_VERSION = 'v1';

export function signPayload(secret: string, timestamp: number, body: string): string {
  return `${SIGNATURE_VERSION}=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does; here for tests and for anyone writing a receiver in Node. */
export function verifySignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  opts: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const ts = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(ts)) return false;
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signPayload(secret, ts, body));
  return headers.signature.split(',').some((candidate) => {
    const given = Buffer.from(candidate.trim());
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** A delivery id: the same notification to the same channel always gets the same one. */
export function deliveryIdOf(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex');
}
