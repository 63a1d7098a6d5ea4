import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalIdp, type LocalIdp } from './provider';
import { localIdpOptions } from './settings';
import { persistedSigningKey } from './signing-key';

/**
 * The local identity provider of `npm start -- --oidc` (or START_AUTH=oidc): its signing key and
 * the administrator client's secret made once in DATA_DIR and reused, so a restart keeps people
 * signed in and scripts working.
 */

function persistedSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

export async function startStackIdp(opts: { port: number; apiPort: number; dataDir: string }): Promise<LocalIdp> {
  const options = localIdpOptions(`http://127.0.0.1:${opts.apiPort}`, {
    port: opts.port,
    signingKey: await persistedSigningKey(path.join(opts.dataDir, 'idp-signing-key.json')),
  });
  options.admin.clientSecret = persistedSecret(path.join(opts.dataDir, 'idp-admin-secret'));
  return startLocalIdp(options);
}
