import { randomBytes } from 'node:crypto';
import { ConfigError } from './env';

/** One key of a key ring: an id (kept with what it encrypted) and 32 bytes for AES-256. */
export interface RingKey {
  id: string;
  key: Buffer;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * A key ring from one setting (PAYLOAD_KEYS, MASTER_KEYS): one or more `id:base64` entries
 * separated by commas. The first encrypts, all decrypt, so a key is rotated by putting a new one
 * first and removing the old one only when nothing still needs it. The error names the variable
 * and the entry, never the key.
 */
export function parseKeyRing(variable: string, raw: string | undefined): RingKey[] {
  const fail = (why: string) => new ConfigError(`Invalid configuration:\n  ${variable}: ${why}`);
  if (!raw || raw.trim() === '') throw fail('required: one or more id:base64 keys of 32 bytes, the first encrypts (e.g. k1:$(openssl rand -base64 32))');
  const keys = raw.split(',').map((entry, n) => {
    const [id, material, ...rest] = entry.trim().split(':');
    if (!id || material === undefined || rest.length > 0 || !ID.test(id)) throw fail(`entry ${n + 1} is not id:base64 (the id: letters, digits, . _ -)`);
    if (!BASE64.test(material)) throw fail(`the key of "${id}" is not base64`);
    const key = Buffer.from(material, 'base64');
    if (key.length !== 32) throw fail(`the key of "${id}" is ${key.length} bytes; AES-256 needs exactly 32`);
    return { id, key };
  });
  const ids = keys.map((k) => k.id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice) throw fail(`the id "${twice}" is listed twice`);
  return keys;
}

/** A new key ring value with one fresh random key (the local stack, tests, the bench). */
export function newKeyRing(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
