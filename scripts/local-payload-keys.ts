import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newKeyRing, parseKeyRing } from '../config/key-ring';

/**
 * The local stack's key ring for `variable` (PAYLOAD_KEYS, MASTER_KEYS) when none is configured:
 * made once into DATA_DIR/<file> (readable by its owner only) and reused, so the cases in
 * DATA_DIR stay readable across starts. Losing the file makes what it encrypted unreadable, as
 * losing a production key would.
 */
export function localKeyRing(dataDir: string, variable: string, file: string, purpose: string, say: (line: string) => void): string {
  const at = path.join(dataDir, file);
  if (existsSync(at)) {
    const keys = readFileSync(at, 'utf8').trim();
    parseKeyRing(variable, keys);
    return keys;
  }
  const keys = newKeyRing('local-1');
  writeFileSync(at, `${keys}\n`, { mode: 0o600 });
  say(`made ${variable} in ${at}: ${purpose} (keep it with the data)`);
  return keys;
}

export const localPayloadKeys = (dataDir: string, say: (line: string) => void): string =>
  localKeyRing(dataDir, 'PAYLOAD_KEYS', 'payload-keys', "Temporal's payloads are encrypted with it", say);

export const localMasterKeys = (dataDir: string, say: (line: string) => void): string =>
  localKeyRing(dataDir, 'MASTER_KEYS', 'master-keys', "it wraps each case's key for the texts in the event log", say);
