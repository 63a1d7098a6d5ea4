import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { requestIdFor } from '../../api/case-service';
import { compareWithLive } from '../../store/rebuild-projections';
import { caseWorkflowId, stateQuery } from '../../workflows/messages';

/**
 * The load every fault of the fault suite runs under, and the checks after it: a cohort of
 * cases whose deadlines fall due during the fault, and clients that send commands with
 * Idempotency-Keys and retry on 5xx or a broken connection as a real client would, against the
 * next API process when one does not answer.
 */

export interface LoadTarget {
  /** Every API process's base URL; clients move to the next on a failure. */
  apiUrls: string[];
  token(claims: { sub: string; role: string; agencyId?: string }): Promise<string>;
}

const COORDINATOR = { sub: 'fel-samordnare', role: 'coordinator', agencyId: 'kvv-gbg' } as const;
const CLIENT = { name: 'Test Testsson', personalIdentityNumber: '198501011236', municipality: '1480' };

export interface Cohort {
  caseIds: string[];
  /** When the cohort's housing intervention falls due (ms since the epoch). */
  dueAt: number;
}

export interface CommandLog {
  sent: number;
  /** Answers by status, every attempt counted (a retried command counts each answer). */
  answers: Record<string, number>;
  /** Commands that got a 2xx in the end: their request ids, which the log must hold once each. */
  applied: { caseId: string; requestId: string; at: number }[];
  /** Commands that never got a 2xx within their retry budget (not lost: never confirmed). */
  unconfirmed: number;
  /** Attempts that found no API at all (connection refused or reset). */
  connectionErrors: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function send(target: LoadTarget, at: number, method: string, path: string, token: string, key: string, body: unknown) {
  const url = target.apiUrls[at % target.apiUrls.length]!;
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * Sends one command until it gets an answer that is not 5xx (or `budgetMs` passes), with the
 * same key every time, moving to the next API process after each failure.
 */
async function sendWithRetries(target: LoadTarget, log: CommandLog, start: number, method: string, path: string, token: string, key: string, body: unknown, budgetMs: number) {
  const until = Date.now() + budgetMs;
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await send(target, start + attempt, method, path, token, key, body);
      log.answers[r.status] = (log.answers[r.status] ?? 0) + 1;
      if (r.status < 500) return r;
    } catch {
      log.connectionErrors += 1;
    }
    if (Date.now() > until) return null;
    await sleep(Math.min(2000, 100 * 2 ** Math.min(attempt, 5)));
  }
}

/** Publishes a policy whose housing deadline is `dueInSeconds` after each opening, and opens `n` cases under it. */
export async function openCohort(target: LoadTarget, name: string, n: number, dueInSeconds: number): Promise<Cohort> {
  const admin = await target.token({ sub: 'fel-admin', role: 'admin' });
  const coordinator = await target.token(COORDINATOR);
  const log = newCommandLog();
  const policy = await sendWithRetries(target, log, 0, 'PUT', `/v1/policies/fault-${name}`, admin, `policy-${name}`, {
    requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT1H', title: 'Bostad ordnad' }],
    reminders: [], escalation: { level2After: 'PT1H' }, followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
  }, 60_000);
  if (policy?.status !== 200) throw new Error(`policy ${name}: ${policy?.status}`);
  const dueAt = Date.now() + dueInSeconds * 1000;
  const caseIds: string[] = new Array<string>(n);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async (_, worker) => {
      for (let i = next++; i < n; i = next++) {
        const r = await sendWithRetries(target, log, worker, 'POST', '/v1/cases', coordinator, `open-${name}-${i}`, {
          client: CLIENT, phase: 'anstalt', admittedAt: new Date(Date.now() - 86_400_000).toISOString(),
          expectedReleaseAt: new Date(dueAt + 3_600_000).toISOString(), riskLevel: 'medium', needs: ['boende'],
          consent: { agencyIds: ['sot-1480'] }, policyId: `fault-${name}`, allowSecondCase: true,
        }, 120_000);
        if (r?.status !== 201) throw new Error(`case ${i} of ${name} was not opened: ${r?.status} ${JSON.stringify(r?.body)}`);
        caseIds[i] = r.body.caseId as string;
      }
    }),
  );
  return { caseIds, dueAt };
}

export function newCommandLog(): CommandLog {
  return { sent: 0, answers: {}, applied: [], unconfirmed: 0, connectionErrors: 0 };
}

/**
 * `clients` clients, each sending meeting records (which change no deadline) to random cases of
 * the cohort until `stop()` is called; each command is retried for up to `budgetMs`.
 */
export function startClients(target: LoadTarget, cohort: Cohort, opts: { clients: number; name: string; budgetMs?: number }) {
  const log = newCommandLog();
  let running = true;
  const done = (async () => {
    const token = await target.token(COORDINATOR);
    await Promise.all(
      Array.from({ length: opts.clients }, async (_, c) => {
        for (let i = 0; running; i++) {
          const caseId = cohort.caseIds[Math.floor(Math.random() * cohort.caseIds.length)]!;
          const key = `${opts.name}-${c}-${i}`;
          const path = `/v1/cases/${caseId}/meetings`;
          log.sent += 1;
          const r = await sendWithRetries(target, log, c, 'POST', path, token, key, { agencyIds: ['sot-1480'] }, opts.budgetMs ?? 120_000);
          if (r && r.status >= 200 && r.status < 300) log.applied.push({ caseId, requestId: requestIdFor(COORDINATOR.sub, `POST ${path}`, key), at: Date.now() });
          else log.unconfirmed += 1;
          await sleep(50);
        }
      }),
    );
  })();
  return {
    log,
    async stop() {
      running = false;
      await done;
      return log;
    },
  };
}

export interface FaultReport {
  commandsSent: number;
  answered2xx: number;
  answered503: number;
  unconfirmed: number;
  /** 2xx commands missing from the log: must be 0. */
  lost: number;
  /** 2xx commands recorded more than once: must be 0. */
  duplicated: number;
  /** Streams whose versions are not 1..n. */
  streamsWithGaps: number;
  alertsDue: number;
  /** Cases of the cohort with exactly one level-1 overdue alert for their housing intervention. */
  alertsRaisedOnce: number;
  /** Runs of the cohort's workflows that failed, timed out, or were terminated or cancelled. */
  workflowsNotRunning: number;
  /** Cases whose workflow's version differs from its log's (a workflow stuck or behind). */
  workflowsBehind: number;
  readModelsEqualRebuild: boolean;
}

/** Everything the suite promises after a fault, measured. */
export async function checkAfterFault(pool: Pool, temporal: Client, cohort: Cohort, log: CommandLog): Promise<FaultReport> {
  const applied = await pool.query<{ request_id: string; appends: number }>(
    `SELECT metadata->>'requestId' AS request_id,
            count(DISTINCT (version - rn))::int AS appends
       FROM (SELECT metadata, version, row_number() OVER (PARTITION BY stream_id, metadata->>'requestId' ORDER BY version) AS rn
               FROM events WHERE metadata->>'requestId' = ANY($1)) e
      GROUP BY 1`,
    [log.applied.map((a) => a.requestId)],
  );
  const appendsOf = new Map(applied.rows.map((r) => [r.request_id, r.appends]));
  const lost = log.applied.filter((a) => !appendsOf.has(a.requestId)).length;
  // One append is one contiguous run of versions; a command applied twice would make two.
  const duplicated = [...appendsOf.values()].filter((n) => n > 1).length;

  const gaps = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT stream_id FROM events GROUP BY stream_id HAVING max(version) <> count(*) OR min(version) <> 1) g`,
  );
  const alerts = await pool.query<{ case_id: string; n: number }>(
    `SELECT stream_id AS case_id, count(*)::int AS n FROM events
      WHERE stream_id = ANY($1) AND type = 'AlertRaised' AND data->>'kind' = 'intervention_overdue' AND (data->>'level')::int = 1
        AND data->>'agencyId' = 'sot-1480' GROUP BY 1`,
    [cohort.caseIds],
  );
  const raisedOnce = alerts.rows.filter((r) => r.n === 1).length;

  let notRunning = 0;
  for await (const wf of temporal.workflow.list({ query: `WorkflowType = 'clientJourney' AND (ExecutionStatus = 'Failed' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'TimedOut' OR ExecutionStatus = 'Canceled')` })) {
    if (cohort.caseIds.some((id) => caseWorkflowId(id) === wf.workflowId)) notRunning += 1;
  }
  const versions = await pool.query<{ stream_id: string; v: number }>(`SELECT stream_id, max(version)::int AS v FROM events WHERE stream_id = ANY($1) GROUP BY 1`, [cohort.caseIds]);
  const logVersion = new Map(versions.rows.map((r) => [r.stream_id, r.v]));
  let behind = 0;
  // 20 queries at a time: each is a workflow task, one after another would take a minute.
  for (let i = 0; i < cohort.caseIds.length; i += 20) {
    const states = await Promise.all(cohort.caseIds.slice(i, i + 20).map((id) => temporal.workflow.getHandle(caseWorkflowId(id)).query(stateQuery)));
    states.forEach((state, k) => {
      if (state?.version !== logVersion.get(cohort.caseIds[i + k]!)) behind += 1;
    });
  }
  const compared = await compareWithLive(pool);
  return {
    commandsSent: log.sent,
    answered2xx: log.applied.length,
    answered503: log.answers['503'] ?? 0,
    unconfirmed: log.unconfirmed,
    lost,
    duplicated,
    streamsWithGaps: gaps.rows[0]!.n,
    alertsDue: cohort.dueAt <= Date.now() ? cohort.caseIds.length : 0,
    alertsRaisedOnce: raisedOnce,
    workflowsNotRunning: notRunning,
    workflowsBehind: behind,
    readModelsEqualRebuild: compared.equal,
  };
}
