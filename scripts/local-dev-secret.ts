import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_SECRET_MIN_LENGTH, newDevSecret } from '../config/dev-auth';
import { ConfigError } from '../config/env';

/**
 * The local stack's AUTH_DEV_SECRET when none is configured: made once into DATA_DIR/dev-secret
 * (readable by its owner only) and reused, so the dev tokens a browser holds (8 hours) survive
 * a restart. Deleting the file signs everyone out, nothing more.
 */
export function localDevSecret(dataDir: string, say: (line: string) => void): string {
  const at = path.join(dataDir, 'dev-secret');
  if (existsSync(at)) {
    const secret = readFileSync(at, 'utf8').trim();
    if (secret.length < DEV_SECRET_MIN_LENGTH) {
      throw new ConfigError(`Invalid configuration:\n  AUTH_DEV_SECRET: ${at} holds fewer than ${DEV_SECRET_MIN_LENGTH} characters; delete it to make a new one`);
    }
    return secret;
  }
  const secret = newDevSecret();
  writeFileSync(at, `${secret}\n`, { mode: 0o600 });
  say(`made AUTH_DEV_SECRET in ${at}: it signs the dev tokens (deleting it signs everyone out)`);
  return secret;
}
