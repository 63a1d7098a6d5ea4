import { Connection } from '@temporalio/client';
import { ConfigError, parseEnvWith } from '../config/env';
import { temporalConnectionOptions, temporalSettingsSchema } from '../config/temporal-connection';
import { ensureTemporalSetup, TemporalSetupError } from '../worker/temporal-setup';

/**
 * `npm run temporal:setup`: what a worker does at start, on its own: the namespace
 * (TEMPORAL_NAMESPACE) and the project's search attributes on the cluster at TEMPORAL_ADDRESS
 * (default: the local one), created when missing. Where they may not be created from here
 * (Temporal Cloud), it checks them and says what is missing; the exit status is then 1.
 */
async function main(): Promise<number> {
  // Only Temporal's settings: this needs neither the API's auth nor the keys.
  const env = parseEnvWith(temporalSettingsSchema, process.env);
  const options = temporalConnectionOptions(env);
  const connection = await Connection.connect(options).catch((err: unknown) => {
    throw new TemporalSetupError(`Temporal is not reachable at ${options.address}: ${err instanceof Error ? err.message : String(err)}`);
  });
  try {
    const report = await ensureTemporalSetup(connection, { namespace: env.TEMPORAL_NAMESPACE, log: (l) => console.error(l) });
    const created = report.created.length > 0 ? `created ${report.created.join(', ')}` : 'all there already';
    console.error(`Temporal at ${options.address}: namespace "${env.TEMPORAL_NAMESPACE}" ${report.namespace}; search attributes: ${created}. Ready.`);
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // What is missing, or a bad setting: the message says it, a stack trace helps nobody.
    console.error(err instanceof TemporalSetupError || err instanceof ConfigError ? err.message : err);
    process.exit(1);
  },
);
