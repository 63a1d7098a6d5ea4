import { createCipheriv, createDecipheriv, createHmac, hkdfSync } from 'node:crypto';

/**
 * One case's texts, sealed with that case's data key (AES-256-GCM). The nonce is synthetic: an
 * HMAC of the field and the text under a second key derived from the same data key (the SIV
 * construction), so sealing the same text twice gives the same bytes. That is what lets a
 * retried append be recognised as the same events (event-store.ts compares stored data), and
 * it never reuses a nonce for two different texts. What it reveals: that two fields of the same
 * case hold the same text, nothing more.
 */
export interface TextKey {
  enc: Buffer;
  siv: Buffer;
}

const NONCE = 12;
const TAG = 16;

export function textKey(dataKey: Buffer): TextKey {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), info, 32));
  return { enc: derive('glappfri case text: encryption'), siv: derive('glappfri case text: synthetic nonce') };
}

export function sealText(key: TextKey, field: string, text: string): string {
  const nonce = createHmac('sha256', key.siv).update(`${field}\0${text}`).digest().subarray(0, NONCE);
  const cipher = createCipheriv('aes-256-gcm', key.enc, nonce);
  cipher.setAAD(Buffer.from(field));
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64');
}

/** Throws when the text was not sealed with this key for this field (tampered, or another case's). */
export function openText(key: TextKey, field: string, sealed: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  if (bytes.length < NONCE + TAG) throw new Error(`sealed ${field} is too short`);
  const decipher = createDecipheriv('aes-256-gcm', key.enc, bytes.subarray(0, NONCE));
  decipher.setAAD(Buffer.from(field));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
  return Buffer.concat([decipher.update(bytes.subarray(NONCE, bytes.length - TAG)), decipher.final()]).toString('utf8');
}
