import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import { loadEnv, type Env } from '../../config/env';
import { testDevSecret } from '../../dev/dev-secret';
import { dataConverterFor } from '../../config/payload-codec';
import { readCaseFrom } from '../../api/case-after-command';
import { JourneyClient } from '../../api/journey-client';
import { pgIdempotencyStore } from '../../store/idempotency';
import type { LogDestination } from '../../api/request-log';
import { registerDomainRoutes } from '../../api/routes';
import { buildServer } from '../../api/server';
import type { CaseState } from '../../domain/case-state';
import { luhnCheckDigit } from '../../domain/personal-identity-number';
import { dueActions } from '../../domain/schedule';
import { caller as apiCaller, TEST_RATE_LIMITS, type ApiTestStack } from '../../dev/api-stack';
import { eventually } from '../../dev/eventually';

/** Helpers shared by the end-to-end API tests in this folder (real stack, no mocks). */

export interface Response {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any route
  headers: Headers;
  text: string;
}
export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}
export type Call = (method: string, path: string, opts?: CallOptions) => Promise<Response>;

/** Like the harness's `call`, against any base URL, and keeping the raw text of the reply. */
export const caller: (baseUrl: string) => Call = apiCaller;

export interface Tokens {
  admin: string;
  coordinator: string;
  /** A coordinator of another agency. */
  coordinator2: string;
  /** Socialtjänsten Göteborg (sot-1480): holds the housing interventions. */
  social: string;
  /** Arbetsförmedlingen (af): holds the work interventions. */
  work: string;
  /** The region (reg-vg). */
  region: string;
  /** Frivården (frv-gbg): holds the follow-ups. */
  probation: string;
  /** An agency that exists but is never in the test cases' consent. */
  outsider: string;
  /** Supervisors of the coordinator's agency, of sot-1480, and of af. */
  coordinatorBoss: string;
  socialBoss: string;
  workBoss: string;
}

/** An agency registered by {@link tokensFor} and never given consent in these tests. */
export const OUTSIDER_AGENCY = 'sot-1401';

export async function tokensFor(s: ApiTestStack): Promise<Tokens> {
  const t = (sub: string, role: string, agencyId?: string) => s.token({ sub, role, ...(agencyId ? { agencyId } : {}) });
  const admin = await t('admin', 'admin');
  const outsider = await s.call('PUT', `/v1/agencies/${OUTSIDER_AGENCY}`, {
    token: admin, body: { type: 'socialtjansten', name: 'Socialtjänsten Partille', municipalities: ['1402'] },
  });
  if (outsider.status !== 200) throw new Error(`could not register ${OUTSIDER_AGENCY}: ${outsider.status}`);
  const [coordinator, coordinator2, social, work, region, probation, outsiderT, coordinatorBoss, socialBoss, workBoss] = await Promise.all([
    t('coord-anna', 'coordinator', 'kvv-gbg'),
    t('coord-bo', 'coordinator', 'sot-1480'),
    t('officer-sven', 'agency', 'sot-1480'),
    t('officer-ali', 'agency', 'af'),
    t('officer-rut', 'agency', 'reg-vg'),
    t('officer-frida', 'agency', 'frv-gbg'),
    t('officer-olle', 'agency', OUTSIDER_AGENCY),
    t('boss-kvv', 'supervisor', 'kvv-gbg'),
    t('boss-sot', 'supervisor', 'sot-1480'),
    t('boss-af', 'supervisor', 'af'),
  ]);
  return {
    admin, coordinator: coordinator!, coordinator2: coordinator2!, social: social!, work: work!, region: region!,
    probation: probation!, outsider: outsiderT!, coordinatorBoss: coordinatorBoss!, socialBoss: socialBoss!, workBoss: workBoss!,
  };
}

export const DAY_MS = 86_400_000;
export const inDays = (d: number, from = Date.now()) => new Date(from + d * DAY_MS).toISOString();

/** A valid 12-digit personal identity number for a birth date and serial (Luhn check digit). */
export function validPin(birth = '19850101', serial = '237'): string {
  return `${birth}${serial}${luhnCheckDigit(`${birth.slice(2)}${serial}`)}`;
}
/** The same with the check digit wrong. */
export function badCheckDigitPin(birth = '19850101', serial = '237'): string {
  return `${birth}${serial}${(luhnCheckDigit(`${birth.slice(2)}${serial}`) + 1) % 10}`;
}

/**
 * A valid open-case body whose case has nothing due for months: admitted yesterday, released in
 * 200 days, consent covering every agency the default policy assigns, a successor named. So no
 * timer fires while a test runs, and the event log only moves when a request moves it.
 */
export function caseBody(over: Record<string, unknown> = {}) {
  return {
    client: { name: 'Klient Testsson', municipality: '1480' },
    phase: 'anstalt',
    admittedAt: inDays(-1),
    expectedReleaseAt: inDays(200),
    riskLevel: 'high',
    needs: ['boende', 'missbruk'],
    consent: { agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'] },
    responsibility: { successorAgencyId: 'frv-gbg' },
    policyId: 'default',
    ...over,
  };
}

/** Opens a case through the API (201 or throws) and waits until nothing more is due on it. */
export async function openCase(s: { call: Call; pool: Pool }, token: string, over: Record<string, unknown> = {}, headers?: Record<string, string>) {
  const r = await s.call('POST', '/v1/cases', { token, body: caseBody(over), ...(headers ? { headers } : {}) });
  if (r.status !== 201) throw new Error(`open case: ${r.status} ${r.text}`);
  await settle(s.pool, r.body.caseId);
  return r.body;
}

/**
 * Waits until the case's workflow has recorded everything that is due now (the schedule loop
 * runs just after each command), so that a later snapshot only moves when a request moves it.
 */
export async function settle(pool: Pool, caseId: string, timeoutMs = 10_000): Promise<void> {
  await eventually(async () => {
    const r = await pool.query<{ state: CaseState }>('SELECT state FROM case_states WHERE case_id = $1', [caseId]);
    const state = r.rows[0]?.state;
    if (!state) throw new Error(`case ${caseId} has no state yet`);
    const due = dueActions(state, new Date().toISOString());
    if (due.length > 0) throw new Error(`case ${caseId} still has ${due.length} due actions`);
  }, timeoutMs, 50);
}

const plain = (rows: unknown[]) => JSON.parse(JSON.stringify(rows)) as unknown[];

/** Everything stored about one case: its events and every read model row. */
export async function snapshot(pool: Pool, caseId: string) {
  const q = async (sql: string) => plain((await pool.query(sql, [caseId])).rows);
  const [events, states, summaries, tasks, gaps, alerts, identities, reminders] = await Promise.all([
    q('SELECT version, type, data, metadata FROM events WHERE stream_id = $1 ORDER BY version'),
    q('SELECT version, state FROM case_states WHERE case_id = $1'),
    q('SELECT * FROM case_summaries WHERE case_id = $1'),
    q('SELECT * FROM tasks WHERE case_id = $1 ORDER BY task_id'),
    q('SELECT * FROM case_gaps WHERE case_id = $1 ORDER BY kind, subject'),
    q('SELECT * FROM alerts WHERE case_id = $1 ORDER BY alert_id'),
    q('SELECT case_id, name, personal_identity_number FROM client_identities WHERE case_id = $1'),
    q('SELECT * FROM reminders WHERE case_id = $1 ORDER BY reminder_id'),
  ]);
  return { events, states, summaries, tasks, gaps, alerts, identities, reminders };
}

/** Row counts of the log and of every read model: nothing new anywhere. */
export async function tableCounts(pool: Pool) {
  const r = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM events)::int AS events, (SELECT count(*) FROM case_states)::int AS case_states,
            (SELECT count(*) FROM case_summaries)::int AS case_summaries, (SELECT count(*) FROM tasks)::int AS tasks,
            (SELECT count(*) FROM case_gaps)::int AS case_gaps, (SELECT count(*) FROM alerts)::int AS alerts,
            (SELECT count(*) FROM client_identities)::int AS client_identities, (SELECT count(*) FROM reminders)::int AS reminders`,
  );
  return r.rows[0]!;
}

export async function eventTypes(pool: Pool, caseId: string): Promise<string[]> {
  const r = await pool.query<{ type: string }>('SELECT type FROM events WHERE stream_id = $1 ORDER BY version', [caseId]);
  return r.rows.map((row) => row.type);
}

/** Log lines captured from the API's pino logger. */
export class LogCapture implements LogDestination {
  readonly lines: string[] = [];
  write(msg: string): void {
    this.lines.push(msg);
  }
  get text(): string {
    return this.lines.join('');
  }
}

export interface ExtraApi {
  url: string;
  call: Call;
  close(): Promise<void>;
}

/**
 * A second API process over the same stack, built exactly as api/start-api.ts does, but with its
 * log lines captured (startApi has no log destination option) at the given level.
 */
export async function startApiWithLogs(s: ApiTestStack, logs: LogDestination, level: Env['LOG_LEVEL'] = 'trace', extraEnv: Record<string, string> = {}): Promise<ExtraApi> {
  const env = loadEnv({
    ...TEST_RATE_LIMITS,
    ...extraEnv,
    AUTH_MODE: 'dev', AUTH_DEV_SECRET: testDevSecret(), API_PORT: '0', LOG_LEVEL: level, TEMPORAL_TASK_QUEUE: s.taskQueue,
    PAYLOAD_KEYS: process.env.PAYLOAD_KEYS, MASTER_KEYS: process.env.MASTER_KEYS, WEBHOOK_ALLOW_PRIVATE: process.env.WEBHOOK_ALLOW_PRIVATE, TEMPORAL_ADDRESS: process.env.TEST_TEMPORAL_ADDRESS, DATABASE_URL: s.databaseUrl,
  });
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, namespace: env.TEMPORAL_NAMESPACE, dataConverter: dataConverterFor(env.PAYLOAD_KEYS) });
  const journeys = new JourneyClient(client, env.TEMPORAL_TASK_QUEUE, readCaseFrom(s.pool));
  const pool = s.pool;
  const app = await buildServer({
    env, pool, temporal: client, idempotency: pgIdempotencyStore(pool), logDestination: logs,
    checks: {
      temporal: async () => void (await connection.workflowService.getSystemInfo({})),
      postgres: async () => void (await pool.query('SELECT 1')),
    },
    registerRoutes: (a) => registerDomainRoutes(a, { pool, journeys }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    url,
    call: caller(url),
    async close() {
      await app.close();
      await connection.close();
    },
  };
}

/** Fails with the response when the status is not the expected one (a readable diff in jest). */
export function statusOf(r: Response): { status: number; body: unknown } {
  return { status: r.status, body: r.body };
}
