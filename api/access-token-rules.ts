import type { JWTHeaderParameters, JWTPayload, JWTVerifyOptions } from 'jose';
import type { Env } from '../config/env';

/**
 * What a token from the identity provider (`AUTH_MODE=jwks`) must be to be accepted as an
 * access token for this API, beyond a valid signature by a key of the JWKS:
 *
 * - signed with an allowed asymmetric algorithm (`AUTH_ALGORITHMS`): never `none`, never HS256,
 *   whose "secret" could be the public key anyone can download (key confusion);
 * - issued by `AUTH_ISSUER` for `AUTH_AUDIENCE`, so that a token the same provider signed for
 *   another application does not open this one;
 * - expiring (`exp` required), with `AUTH_CLOCK_SKEW_SECONDS` of tolerance;
 * - an access token, not an ID token. An ID token proves a sign-in to the web interface; sent as
 *   a bearer token it would let whoever holds it (it lives in the browser, in logs) act as the user.
 */

/** jose's checks for a production token. */
export function jwksVerifyOptions(env: Env): JWTVerifyOptions {
  return {
    algorithms: env.AUTH_ALGORITHMS,
    ...(env.AUTH_ISSUER ? { issuer: env.AUTH_ISSUER } : {}),
    ...(env.AUTH_AUDIENCE ? { audience: env.AUTH_AUDIENCE } : {}),
    requiredClaims: ['sub', 'exp'],
    clockTolerance: env.AUTH_CLOCK_SKEW_SECONDS,
    // RFC 9068: a JWT access token is typed `at+jwt` (jose also accepts `application/at+jwt`).
    ...(env.AUTH_REQUIRE_AT_JWT ? { typ: 'at+jwt' } : {}),
  };
}

/** A `typ` that says nothing about what the token is for: absent, or the generic JWT. */
const untyped = (typ: string | undefined) => typ === undefined || /^(application\/)?jwt$/i.test(typ);

const audiences = (aud: JWTPayload['aud']): string[] => (aud === undefined ? [] : Array.isArray(aud) ? aud : [aud]);

/**
 * Why a verified token is taken for an ID token, or null. Providers that do not type their
 * access tokens still leave ID tokens recognisable: `nonce` and `at_hash` exist only in ID
 * tokens (OpenID Connect Core §2, §3.1.3.6), and an ID token's audience is the client that
 * signed in, i.e. the web interface (`AUTH_UI_CLIENT_ID`).
 */
export function idTokenMarker(header: JWTHeaderParameters, payload: JWTPayload, uiClientId: string | undefined): string | null {
  if (untyped(header.typ)) {
    if ('nonce' in payload) return 'nonce';
    if ('at_hash' in payload) return 'at_hash';
  }
  if (uiClientId && audiences(payload.aud).includes(uiClientId)) return 'aud';
  return null;
}
