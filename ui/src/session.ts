import type { Role } from '../../domain/schemas/vocabulary';

/**
 * The signed-in person: a bearer token kept in sessionStorage (gone when the tab closes) and
 * the claims read from it. The API verifies the token on every request; the claims here only
 * choose what to show.
 */
export interface Session {
  token: string;
  sub: string;
  role: Role;
  agencyId: string | null;
  name: string;
  /** Expiry, ms since the epoch, when the token says. */
  expiresAt: number | null;
  /** The claim names the token was read by (the API's AUTH_*_CLAIM), kept to read it again. */
  claims: ClaimNames;
  /** Set when the person signed in through the identity provider: what sign-out needs there. */
  oidc?: { issuer: string; clientId: string; idToken?: string };
}

/** The access-token claims that carry role, agency and display name (`GET /v1/auth/config`). */
export interface ClaimNames {
  role: string;
  agencyId: string;
  name: string;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = { role: 'role', agencyId: 'agencyId', name: 'name' };

const KEY = 'glappfri.token';
const ROLES: readonly Role[] = ['coordinator', 'agency', 'supervisor', 'admin', 'operator'];

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** Thrown when a valid token does not say who the person is in Glappfri: the provider's setup, not theirs. */
export class MissingClaimsError extends Error {
  override readonly name = 'MissingClaimsError';
}

/** The session a token describes; throws a Swedish message when it is not a usable JWT. */
export function sessionFromToken(raw: string, names: ClaimNames = DEFAULT_CLAIM_NAMES): Session {
  const token = raw.trim().replace(/^Bearer\s+/i, '');
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) {
    throw new Error('Det här ser inte ut som en token (JWT i tre delar åtskilda av punkter).');
  }
  let claims: Record<string, unknown>;
  try {
    claims = JSON.parse(base64UrlDecode(parts[1] ?? '')) as Record<string, unknown>;
  } catch {
    throw new Error('Tokenens innehåll kunde inte läsas.');
  }
  const role = claims[names.role] as Role;
  const agencyId = claims[names.agencyId];
  if (typeof claims.sub !== 'string') throw new MissingClaimsError('Tokenen saknar användare (sub).');
  if (claims[names.role] === undefined) throw new MissingClaimsError(`Tokenen saknar roll (anspråket ”${names.role}”).`);
  if (!ROLES.includes(role)) throw new MissingClaimsError(`Tokenen har en roll som Glappfri inte känner till (anspråket ”${names.role}”).`);
  if (role !== 'admin' && role !== 'operator' && (typeof agencyId !== 'string' || !agencyId)) {
    throw new MissingClaimsError(`Tokenen saknar myndighet (anspråket ”${names.agencyId}”), som alla roller utom administratör och drift behöver.`);
  }
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (exp !== null && exp <= Date.now()) throw new Error('Tokenen har gått ut. Hämta en ny.');
  const name = claims[names.name];
  return {
    token,
    sub: claims.sub,
    role,
    agencyId: typeof agencyId === 'string' ? agencyId : null,
    name: typeof name === 'string' && name ? name : claims.sub,
    expiresAt: exp,
    claims: names,
  };
}

interface Stored {
  token: string;
  claims?: ClaimNames;
  oidc?: Session['oidc'];
}

export function loadSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    // A bare token: what earlier builds kept.
    const stored: Stored = raw.startsWith('{') ? (JSON.parse(raw) as Stored) : { token: raw };
    const session = sessionFromToken(stored.token, stored.claims ?? DEFAULT_CLAIM_NAMES);
    return stored.oidc ? { ...session, oidc: stored.oidc } : session;
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function saveSession(session: Session): void {
  const stored: Stored = { token: session.token, claims: session.claims, ...(session.oidc ? { oidc: session.oidc } : {}) };
  sessionStorage.setItem(KEY, JSON.stringify(stored));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}

const SIGNED_OUT_KEY = 'glappfri.signedOut';

/** Remembers, across the round trip to the provider's sign-out, that the person signed out. */
export function markSignedOut(): void {
  sessionStorage.setItem(SIGNED_OUT_KEY, '1');
}

/** Whether the person has just signed out (and forgets it: said once). */
export function takeSignedOut(): boolean {
  const was = sessionStorage.getItem(SIGNED_OUT_KEY) === '1';
  sessionStorage.removeItem(SIGNED_OUT_KEY);
  return was;
}
