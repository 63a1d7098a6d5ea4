import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { LOCAL_OIDC } from '../../scripts/local-idp/settings';

export interface LocalIdpProcess {
  issuer: string;
  jwksUrl: string;
  /** The administrator client's credentials (client credentials grant). */
  admin: { clientId: string; clientSecret: string };
  /** SIGTERM, and waits for the exit: from then on the provider is down. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/**
 * The local identity provider (scripts/local-idp.ts) as an OS process of its own, for a web
 * interface at `webOrigin`: `oidc-provider` is an ES module that jest's module system does not
 * load, and a process can be stopped like a provider that goes down. `claimEnv`: the
 * AUTH_*_CLAIM names it puts the role, agency and name under.
 */
export async function startLocalIdpProcess(webOrigin: string, claimEnv: Record<string, string> = {}): Promise<LocalIdpProcess> {
  const admin = { clientId: LOCAL_OIDC.adminClientId, clientSecret: randomBytes(24).toString('base64url') };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/local-idp.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...claimEnv, LOCAL_IDP_PORT: '0', LOCAL_IDP_WEB_ORIGIN: webOrigin, LOCAL_IDP_ADMIN_SECRET: admin.clientSecret },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the local identity provider did not start within 60 s:\n${output}`));
    }, 60_000);
    child.stdout.on('data', (b: Buffer) => {
      output += b.toString();
      const ready = /local-idp ready (\S+)/.exec(output);
      if (ready?.[1]) {
        clearTimeout(timer);
        resolve(ready[1]);
      }
    });
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local identity provider exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    admin,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
