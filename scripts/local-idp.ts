import { ConfigError } from '../config/env';
import { DEFAULT_CLAIM_NAMES, localIdpOptions } from './local-idp/settings';
import { startLocalIdp } from './local-idp/provider';
import { newSigningKey, persistedSigningKey } from './local-idp/signing-key';

/**
 * The local identity provider as a process of its own (`npx tsx scripts/local-idp.ts`), for a
 * web interface at LOCAL_IDP_WEB_ORIGIN (default http://127.0.0.1:8080). The browser tests run
 * it this way, so that they can stop it like a provider that goes down. Settings:
 * LOCAL_IDP_PORT (0: any free one), LOCAL_IDP_ADMIN_SECRET (the administrator client's secret;
 * random when unset), LOCAL_IDP_KEY_FILE (keep the signing key there; else a new one each
 * start), and the claim names the API reads, AUTH_ROLE_CLAIM, AUTH_AGENCY_CLAIM, AUTH_NAME_CLAIM
 * (defaults as the API's). Prints `local-idp ready <issuer>` when it accepts connections;
 * SIGTERM stops it.
 */
async function main() {
  const webOrigin = process.env.LOCAL_IDP_WEB_ORIGIN ?? 'http://127.0.0.1:8080';
  const port = Number(process.env.LOCAL_IDP_PORT ?? '0');
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('LOCAL_IDP_PORT: a port number, or 0 for any free one');
  const keyFile = process.env.LOCAL_IDP_KEY_FILE;
  const claims = {
    role: process.env.AUTH_ROLE_CLAIM || DEFAULT_CLAIM_NAMES.role,
    agencyId: process.env.AUTH_AGENCY_CLAIM || DEFAULT_CLAIM_NAMES.agencyId,
    name: process.env.AUTH_NAME_CLAIM || DEFAULT_CLAIM_NAMES.name,
  };
  const options = localIdpOptions(webOrigin, { port, claims, signingKey: keyFile ? await persistedSigningKey(keyFile) : await newSigningKey() });
  if (process.env.LOCAL_IDP_ADMIN_SECRET) options.admin.clientSecret = process.env.LOCAL_IDP_ADMIN_SECRET;
  const idp = await startLocalIdp(options);
  const stop = () => void idp.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log(`local-idp ready ${idp.issuer}`);
}

main().catch((err: unknown) => {
  console.error(`local-idp: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
