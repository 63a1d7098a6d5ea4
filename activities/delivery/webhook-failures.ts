/*
 * What an administrator reads in a delivery's `lastError`. Network errors carry resolved addresses,
 * ports and internal host names (`connect ECONNREFUSED 10.1.2.3:443`); the administrator needs to
 * know which side to look at, not the layout of our network, so every failure is one of these.
 */
export const FAILURE_TEXT = {
  unreachable: 'the receiver could not be reached',
  unresolved: "the receiver's host name could not be resolved",
  tls: "the receiver's TLS certificate was not accepted",
} as const;

export const answeredText = (status: number) => `the receiver answered HTTP ${status}`;
export const timeoutText = (ms: number) => `no answer within ${ms / 1000} s`;

/** A failed attempt, described without the URL's query, the secret, addresses or the receiver's answer. */
export class WebhookFailed extends Error {}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);

/** One of the texts above for a low-level error (its own message is never passed on). */
export function describeNetworkError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && DNS_CODES.has(code)) return FAILURE_TEXT.unresolved;
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || /CERT|SSL|SELF_SIGNED/.test(code))) return FAILURE_TEXT.tls;
  return FAILURE_TEXT.unreachable;
}
