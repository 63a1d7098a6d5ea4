import globalSetup from './global-setup';
import globalTeardown from './global-teardown';
import { startApiTestStack, type ApiTestStack } from './api-stack';
import { startTestStack, type TestStack } from './stack';

// Kept apart from stack.ts: the embedded PostgreSQL package is ESM-only and must not be loaded
// inside jest's module sandbox, only by the global setup or by plain scripts.
/**
 * A test stack for scripts run outside jest (`npx tsx scripts/…`): starts the Temporal dev
 * server and PostgreSQL as jest's global setup does (or uses TEST_TEMPORAL_ADDRESS /
 * TEST_DATABASE_URL when given); `close()` also stops those services.
 */
async function standalone<S extends { close(): Promise<void> }>(start: () => Promise<S>): Promise<S> {
  await globalSetup();
  let stack: S;
  try {
    stack = await start();
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

export const startStandaloneStack = (): Promise<TestStack> => standalone(startTestStack);
/** The same with the real API in front (dev/api-stack.ts). */
export const startStandaloneApiStack = (): Promise<ApiTestStack> => standalone(startApiTestStack);
