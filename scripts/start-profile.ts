import { ConfigError } from '../config/env';

export type StartProfile = 'dev' | 'cluster';

/**
 * Which local stack `npm start` runs: `dev` (the Temporal CLI's dev server, the default) or
 * `cluster` (the real Temporal server on PostgreSQL, several workers and APIs), from
 * `--cluster` or START_PROFILE.
 */
export function startProfile(argv: string[], env: NodeJS.ProcessEnv): StartProfile {
  const unknown = argv.filter((a) => a !== '--cluster');
  if (unknown.length > 0) throw new ConfigError(`npm start: unknown argument ${unknown.join(' ')} (known: --cluster, --oidc)`);
  const fromEnv = env.START_PROFILE || undefined;
  if (fromEnv !== undefined && fromEnv !== 'dev' && fromEnv !== 'cluster') {
    throw new ConfigError('Invalid configuration:\n  START_PROFILE: dev or cluster');
  }
  if (argv.includes('--cluster')) return 'cluster';
  return fromEnv ?? 'dev';
}
