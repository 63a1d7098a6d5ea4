import { randomBytes } from 'node:crypto';
import { ConfigError } from './env';

/** One key of PAYLOAD_KEYS: an id (kept in each payload's metadata) and 32 bytes for AES-256-GCM. */
export interface PayloadKey {
  id: string;
  key: Buffer;
}

const ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * `PAYLOAD_KEYS`: one or more `id:base64` entries separated by commas. The first encrypts, all
 * decrypt, so a key is rotated by putting a new one first and removing the old one only when no
 * running case still needs it. The error names the variable and the entry, never the key.
 */
export function parsePayloadKeys(raw: string | undefined): PayloadKey[] {
  const fail = (why: string) => new ConfigError(`Invalid configuration:\n  PAYLOAD_KEYS: ${why}`);
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

/** A new PAYLOAD_KEYS value with one fresh random key (the local stack, tests, the bench). */
export function newPayloadKeys(id = `k${Date.now().toString(36)}`): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}
