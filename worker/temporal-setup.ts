import { isGrpcServiceError, type Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { PROJECT_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

/**
 * What the product needs from any Temporal cluster before a case can start: its namespace, and
 * its search attributes in that namespace. Made through Temporal's own API (workflow service,
 * operator service), idempotently, so the dev server, the cluster profile, a self-hosted cluster
 * and Temporal Cloud all go one way. Where this connection may not create them (Temporal Cloud
 * makes namespaces and search attributes out of band), it only checks and says what is missing.
 */

/**
 * How long Temporal keeps a closed case's history. A closed case's data lives on in PostgreSQL
 * until its retention; Temporal's copy is only for troubleshooting, and less kept is less to leak.
 */
export const NAMESPACE_RETENTION = '7 days';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;
type IndexedValueType = temporal.api.enums.v1.IndexedValueType;

// gRPC status codes the steps tell apart.
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
const PERMISSION_DENIED = 7;
const INVALID_ARGUMENT = 3;
const UNAVAILABLE = 14;
const UNIMPLEMENTED = 12;

export class TemporalSetupError extends Error {}

export interface TemporalSetupReport {
  namespace: 'existed' | 'created';
  /** Search attributes this run created. */
  created: string[];
}

const codeOf = (err: unknown): number | undefined => (isGrpcServiceError(err) ? err.code : undefined);
const notAllowed = (err: unknown) => codeOf(err) === PERMISSION_DENIED || codeOf(err) === UNIMPLEMENTED;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function indexedType(type: string): IndexedValueType {
  return IndexedValueType[`INDEXED_VALUE_TYPE_${type}` as keyof typeof IndexedValueType];
}

function typeName(t: IndexedValueType | undefined): string {
  return t === undefined ? 'none' : (IndexedValueType[t] ?? String(t)).replace('INDEXED_VALUE_TYPE_', '');
}

/**
 * Retries a call while it fails with one of `codes`: UNAVAILABLE is the server saying "not now"
 * (starting up, another change in flight); NOT_FOUND, right after the namespace was registered,
 * is a service whose namespace cache has not caught up yet.
 */
async function retrying<T>(deadline: number, codes: number[], call: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const code = codeOf(err);
      if (code === undefined || !codes.includes(code) || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}
const whileUnavailable = <T>(deadline: number, call: () => Promise<T>) => retrying(deadline, [UNAVAILABLE], call);

async function ensureNamespace(connection: Connection, namespace: string, deadline: number): Promise<TemporalSetupReport['namespace']> {
  try {
    await whileUnavailable(deadline, () => connection.workflowService.describeNamespace({ namespace }));
    return 'existed';
  } catch (err) {
    if (codeOf(err) !== NOT_FOUND) throw err;
  }
  try {
    await whileUnavailable(deadline, () =>
      connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(NAMESPACE_RETENTION) }),
    );
    return 'created';
  } catch (err) {
    // Another worker registered it a moment ago: what we wanted.
    if (codeOf(err) === ALREADY_EXISTS) return 'existed';
    if (notAllowed(err)) {
      throw new TemporalSetupError(
        `Temporal namespace "${namespace}" does not exist, and this connection may not create it. Create it where the ` +
          `cluster is managed (Temporal Cloud: the Cloud UI or \`tcld namespace create\`), then start again.`,
      );
    }
    throw err;
  }
}

/** The project's attributes the namespace lacks, and those it has with another type. */
async function searchAttributeGaps(connection: Connection, namespace: string, deadline: number) {
  const listed = await retrying(deadline, [UNAVAILABLE, NOT_FOUND], () => connection.operatorService.listSearchAttributes({ namespace }));
  const custom = listed.customAttributes ?? {};
  const missing = PROJECT_SEARCH_ATTRIBUTES.filter((k) => custom[k.name] === undefined);
  const wrongType = PROJECT_SEARCH_ATTRIBUTES.filter((k) => custom[k.name] !== undefined && custom[k.name] !== indexedType(k.type)).map(
    (k) => `${k.name} is ${typeName(custom[k.name])}, not ${k.type}`,
  );
  return { missing, wrongType };
}

function howToCreate(namespace: string, missing: typeof PROJECT_SEARCH_ATTRIBUTES): string {
  const list = missing.map((k) => `${k.name} (${k.type})`).join(', ');
  const cli = missing.map((k) => `temporal operator search-attribute create --namespace ${namespace} --name ${k.name} --type ${k.type}`);
  return (
    `Temporal namespace "${namespace}" lacks the search attributes ${list}, and this connection may not create them. ` +
    `Create them where the cluster is managed (Temporal Cloud: the Cloud UI, or \`tcld namespace search-attributes add\`; ` +
    `a self-hosted cluster: ${cli.join('; ')}), then start again.`
  );
}

/** A list query naming every project attribute: valid only once the namespace and all of them are known. */
function probeQuery(): string {
  const literal: Record<string, string> = { KEYWORD: `'probe'`, TEXT: `'probe'`, INT: '0', DOUBLE: '0', BOOL: 'false', DATETIME: `'1970-01-01T00:00:00Z'`, KEYWORD_LIST: `'probe'` };
  return PROJECT_SEARCH_ATTRIBUTES.map((k) => `${k.name} = ${literal[k.type]}`).join(' AND ');
}

/**
 * A namespace or an attribute just made is not usable at once on a real server: each service
 * reads them through a cache refreshed every few seconds. Waits until a query that names them
 * all is accepted.
 */
async function waitUntilUsable(connection: Connection, namespace: string, deadline: number): Promise<void> {
  const query = probeQuery();
  for (;;) {
    try {
      await connection.workflowService.listWorkflowExecutions({ namespace, query, pageSize: 1 });
      return;
    } catch (err) {
      const code = codeOf(err);
      const passing = code === NOT_FOUND || code === INVALID_ARGUMENT || code === UNAVAILABLE;
      if (!passing || Date.now() > deadline) {
        throw new TemporalSetupError(`Temporal namespace "${namespace}" is not usable with the project's search attributes: ${String((err as Error).message)}`);
      }
      await sleep(500);
    }
  }
}

/**
 * Makes sure `namespace` exists with the project's search attributes, creating what is missing
 * (already there is fine), and waits until they can be used. Throws TemporalSetupError, saying
 * what is missing and how to create it, when it cannot.
 */
export async function ensureTemporalSetup(
  connection: Connection,
  opts: { namespace: string; timeoutMs?: number; log?: (line: string) => void },
): Promise<TemporalSetupReport> {
  const { namespace } = opts;
  const log = opts.log ?? (() => undefined);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  const ns = await ensureNamespace(connection, namespace, deadline);
  if (ns === 'created') log(`Temporal namespace "${namespace}" created (retention ${NAMESPACE_RETENTION})`);
  // A namespace registered a moment ago is not known to every service yet: listing goes through
  // the frontend's namespace cache, as starting a case does.
  if (ns === 'created') {
    await retrying(deadline, [UNAVAILABLE, NOT_FOUND], () => connection.workflowService.listWorkflowExecutions({ namespace, pageSize: 1 }));
  }
  const { missing, wrongType } = await searchAttributeGaps(connection, namespace, deadline);
  if (wrongType.length > 0) {
    throw new TemporalSetupError(`Temporal namespace "${namespace}" has search attributes of the wrong type: ${wrongType.join('; ')}. Remove them there, then start again.`);
  }
  if (missing.length > 0) {
    try {
      await retrying(deadline, [UNAVAILABLE, NOT_FOUND], () =>
        connection.operatorService.addSearchAttributes({
          namespace,
          searchAttributes: Object.fromEntries(missing.map((k) => [k.name, indexedType(k.type)])),
        }),
      );
    } catch (err) {
      if (notAllowed(err)) throw new TemporalSetupError(howToCreate(namespace, missing));
      throw err;
    }
    log(`Temporal search attributes ${missing.map((k) => k.name).join(', ')} created in namespace "${namespace}"`);
  }
  await waitUntilUsable(connection, namespace, deadline);
  return { namespace: ns, created: missing.map((k) => k.name) };
}
