import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

/** A new RS256 private key as a JWK, its `kid` the key's thumbprint (RFC 7638). */
export async function newSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: await calculateJwkThumbprint(jwk), alg: 'RS256', use: 'sig' };
}

/**
 * The local stack's key, made once in `file` (mode 0600) and reused, so that a restart of the
 * stack does not sign out whoever was signed in.
 */
export async function persistedSigningKey(file: string): Promise<JWK> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as JWK;
  const key = await newSigningKey();
  writeFileSync(file, JSON.stringify(key), { mode: 0o600 });
  return key;
}
