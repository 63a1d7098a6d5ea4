import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { startTestStack, type TestStack } from './stack';

// Kept apart from stack.ts: the embedded PostgreSQL package is ESM-only and must not be loaded
// inside jest's module sandbox, only by the global setup or by plain scripts.
/**
 * The same stack for scripts run outside jest (`npx tsx scripts/…`): starts the Temporal dev
 * server and PostgreSQL as jest's global setup does (or uses TEST_TEMPORAL_ADDRESS /
 * TEST_DATABASE_URL when given); `close()` also stops those services.
 */
export async function startStandaloneStack(): Promise<TestStack> {
  await globalSetup();
  let stack: TestStack;
  try {
    stack = await startTestStack();
  } catch (err) {
    await globalTeardown();
    throw err;
  }
  const closeStack = stack.close;
  stack.close = async () => {
    try {
      await closeStack();
    } finally {
      await globalTeardown();
    }
  };
  return stack;
}
