import { newKeyRing, parseKeyRing, type RingKey } from './key-ring';

/** One key of PAYLOAD_KEYS: an id (kept in each payload's metadata) and 32 bytes for AES-256-GCM. */
export type PayloadKey = RingKey;

/** `PAYLOAD_KEYS`: the keys that encrypt what Temporal stores (config/payload-codec.ts). */
export const parsePayloadKeys = (raw: string | undefined): PayloadKey[] => parseKeyRing('PAYLOAD_KEYS', raw);

/** A new PAYLOAD_KEYS value with one fresh random key (the local stack, tests, the bench). */
export const newPayloadKeys = newKeyRing;
