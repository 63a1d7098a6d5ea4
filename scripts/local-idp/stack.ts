import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ClaimNames } from '../../api/token-claims';
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

/** `claims`: the names the API reads (AUTH_*_CLAIM), so that both sides agree. */
export async function startStackIdp(opts: { port: number; apiPort: number; dataDir: string; claims: ClaimNames }): Promise<LocalIdp> {
  const options = localIdpOptions(`http://127.0.0.1:${opts.apiPort}`, {
    port: opts.port,
    claims: opts.claims,
    signingKey: await persistedSigningKey(path.join(opts.dataDir, 'idp-signing-key.json')),
  });
  options.admin.clientSecret = persistedSecret(path.join(opts.dataDir, 'idp-admin-secret'));
  return startLocalIdp(options);
}
