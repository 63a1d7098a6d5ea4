import { parseKeyRing, type RingKey } from './key-ring';

/**
 * `MASTER_KEYS`: the keys that wrap each case's own data key (store/case-keys.ts). They never
 * encrypt client data themselves, so rotating one means re-wrapping a few bytes per case
 * (`npm run keys:rewrap`), not re-encrypting the event log.
 */
export const parseMasterKeys = (raw: string | undefined): RingKey[] => parseKeyRing('MASTER_KEYS', raw);
