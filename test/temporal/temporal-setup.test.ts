import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { ensureTemporalSetup, TemporalSetupError } from '../../worker/temporal-setup';
import { PROJECT_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';

/**
 * The one setup path every cluster gets (worker/temporal-setup.ts), against the run's dev server:
 * a namespace of its own per test, so nothing depends on what the server was started with.
 */
let connection: Connection;
beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.TEST_TEMPORAL_ADDRESS! });
});
afterAll(async () => {
  await connection?.close();
});

const customOf = async (namespace: string) => (await connection.operatorService.listSearchAttributes({ namespace })).customAttributes ?? {};

test('a missing namespace and its search attributes are created once; a second run creates nothing', async () => {
  const namespace = `setup-${randomUUID()}`;
  const lines: string[] = [];
  const first = await ensureTemporalSetup(connection, { namespace, log: (l) => lines.push(l) });
  expect(first).toEqual({ namespace: 'created', created: PROJECT_SEARCH_ATTRIBUTES.map((k) => k.name) });
  expect(Object.keys(await customOf(namespace))).toEqual(expect.arrayContaining(PROJECT_SEARCH_ATTRIBUTES.map((k) => k.name)));
  // Usable at once: a query naming every attribute is accepted.
  await connection.workflowService.listWorkflowExecutions({ namespace, query: `JourneyPhase = 'anstalt' AND JourneyOpenGaps > 0` });

  const second = await ensureTemporalSetup(connection, { namespace });
  expect(second).toEqual({ namespace: 'existed', created: [] });
  expect(lines.join('\n')).toContain(`namespace "${namespace}" created`);
});

test('an attribute of another type is reported, not silently used', async () => {
  const namespace = `setup-${randomUUID()}`;
  await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') });
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: { JourneyPhase: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT },
  });
  const setup = ensureTemporalSetup(connection, { namespace, timeoutMs: 20_000 });
  await expect(setup).rejects.toThrow(TemporalSetupError);
  await expect(setup).rejects.toThrow('JourneyPhase is INT, not KEYWORD');
});
