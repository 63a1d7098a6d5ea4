import { lookup as dnsLookup } from 'node:dns';
import ipaddr from 'ipaddr.js';

/*
 * Which webhook targets the service may POST to. A webhook URL is typed by an administrator, and
 * the worker that sends sits inside the operator's network: without these rules a URL could make
 * it call the cloud metadata service, the database or an internal admin page (SSRF). The rules are
 * applied when subscriptions are saved (the URL as typed) and again when sending, after DNS, on
 * every address the name resolves to; the connection then goes to the address that was checked.
 */

export interface WebhookTargetRules {
  /**
   * WEBHOOK_ALLOW_PRIVATE: receivers in a closed agency network have private addresses
   * (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10) and may sit on this host (loopback).
   * Link-local (the cloud metadata address), unspecified, multicast and reserved stay refused.
   */
  allowPrivate: boolean;
  /** Outside dev mode (AUTH_MODE≠dev) only https: the payload and its signature travel encrypted. */
  requireHttps: boolean;
}

/** The rules for a given environment: https outside dev mode, private targets only when asked for. */
export function webhookTargetRules(env: { AUTH_MODE: string; WEBHOOK_ALLOW_PRIVATE: boolean }): WebhookTargetRules {
  return { allowPrivate: env.WEBHOOK_ALLOW_PRIVATE, requireHttps: env.AUTH_MODE !== 'dev' };
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Every address a host name resolves to (tests inject one; by default the system resolver). */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemLookup: HostLookup = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => {
      if (err) reject(err);
      else resolve(addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 })));
    });
  });

/** Why a target is refused; the texts are what an administrator sees (nothing resolved is named). */
export type Refusal = 'https-required' | 'internal-address' | 'resolves-internal';
export const REFUSAL_TEXT: Record<Refusal, string> = {
  'https-required': 'the target is not allowed: https is required',
  'internal-address': 'the target is not allowed: it is an internal address',
  'resolves-internal': 'the target is not allowed: it resolves to an internal address',
};

export class TargetRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(REFUSAL_TEXT[refusal]);
  }
}

/** ipaddr.js range names a closed network may use; plain `unicast` is always allowed. */
const PRIVATE_RANGES = new Set(['private', 'uniqueLocal', 'carrierGradeNat', 'loopback']);

/**
 * Whether one IP address may be connected to. IPv4-mapped IPv6 (::ffff:127.0.0.1) is judged as the
 * IPv4 address it is. Every named special range (link-local, unspecified, multicast, broadcast,
 * reserved, and the v6 forms embedding a v4 address: NAT64, 6to4, Teredo) is refused.
 */
export function addressAllowed(address: string, rules: Pick<WebhookTargetRules, 'allowPrivate'>): boolean {
  if (!ipaddr.isValid(address)) return false;
  const range = ipaddr.process(address).range();
  return range === 'unicast' || (rules.allowPrivate && PRIVATE_RANGES.has(range));
}

/** `localhost` and its subdomains are loopback by definition (RFC 6761), whatever DNS says. */
const isLocalhostName = (host: string) => /(^|\.)localhost\.?$/i.test(host);

/** The URL's host without IPv6 brackets; WHATWG URL has already normalised 2130706433 to 127.0.0.1. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** What the URL alone shows: the scheme, and a host that is a literal address or localhost. */
export function urlRefusal(raw: string, rules: WebhookTargetRules): Refusal | null {
  const url = new URL(raw);
  if (rules.requireHttps && url.protocol !== 'https:') return 'https-required';
  const host = hostOf(url);
  if (isLocalhostName(host)) return rules.allowPrivate ? null : 'internal-address';
  if (ipaddr.isValid(host) && !addressAllowed(host, rules)) return 'internal-address';
  return null;
}

/**
 * The address to connect to: checks the URL, resolves its host and refuses if ANY address is
 * internal (an attacker's name may list a public address beside 127.0.0.1); returns the first,
 * which the caller connects to directly, so a second lookup (DNS rebinding) never happens.
 * Throws {@link TargetRefused}, or the resolver's own error when the name does not resolve.
 */
export async function checkedAddress(raw: string, rules: WebhookTargetRules, lookup: HostLookup): Promise<ResolvedAddress> {
  const refusal = urlRefusal(raw, rules);
  if (refusal) throw new TargetRefused(refusal);
  const host = hostOf(new URL(raw));
  if (ipaddr.isValid(host)) return { address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 };
  const addresses = isLocalhostName(host) ? [{ address: '127.0.0.1', family: 4 as const }] : await lookup(host);
  if (addresses.length === 0) throw Object.assign(new Error('no address'), { code: 'ENOTFOUND' });
  if (addresses.some((a) => !addressAllowed(a.address, rules))) throw new TargetRefused('resolves-internal');
  return addresses[0]!;
}
