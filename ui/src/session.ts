import type { Role } from '../../domain/vocabulary';

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
}

const KEY = 'glappfri.token';
const ROLES: readonly Role[] = ['coordinator', 'agency', 'supervisor', 'admin', 'operator'];

function base64UrlDecode(s: string): string {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(s.length / 4) * 4, '=');
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The session a token describes; throws a Swedish message when it is not a usable JWT. */
export function sessionFromToken(raw: string): Session {
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
  const role = claims.role as Role;
  if (typeof claims.sub !== 'string' || !ROLES.includes(role)) throw new Error('Tokenen saknar användare (sub) eller giltig roll.');
  const exp = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (exp !== null && exp <= Date.now()) throw new Error('Tokenen har gått ut. Hämta en ny.');
  return {
    token,
    sub: claims.sub,
    role,
    agencyId: typeof claims.agencyId === 'string' ? claims.agencyId : null,
    name: typeof claims.name === 'string' && claims.name ? claims.name : claims.sub,
    expiresAt: exp,
  };
}

export function loadSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  if (!token) return null;
  try {
    return sessionFromToken(token);
  } catch {
    sessionStorage.removeItem(KEY);
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, session.token);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
}
