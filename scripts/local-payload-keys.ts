import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { newPayloadKeys, parsePayloadKeys } from '../config/payload-keys';

/**
 * The local stack's PAYLOAD_KEYS when none is configured: made once into DATA_DIR/payload-keys
 * (readable by its owner only) and reused, so the cases in DATA_DIR stay readable across starts.
 * Losing the file makes their Temporal histories unreadable, as losing a production key would.
 */
export function localPayloadKeys(dataDir: string, say: (line: string) => void): string {
  const file = path.join(dataDir, 'payload-keys');
  if (existsSync(file)) {
    const keys = readFileSync(file, 'utf8').trim();
    parsePayloadKeys(keys);
    return keys;
  }
  const keys = newPayloadKeys('local-1');
  writeFileSync(file, `${keys}\n`, { mode: 0o600 });
  say(`made a payload key in ${file}: Temporal's payloads are encrypted with it (keep it with the data)`);
  return keys;
}
