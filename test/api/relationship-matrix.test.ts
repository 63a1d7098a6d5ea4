import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { MATRIX, RELATIONS, ROLES, matrixMarkdown, type Relation, type Role } from './relationship-matrix-table';
import { caller, inDays, openCase, settle, snapshot, type Call, type Response } from './support';

/**
 * Issue 14: who may see and act on a client follows the client's relation to the caller's
 * agency and consent, for every role (domain/access.ts). Every route that touches a case, as
 * each of the four roles, at an agency in each relation to the case: the exact status, and a
 * refused call changes nothing. MATRIX (relationship-matrix-table.ts) is the table the README prints.
 *
 * The case: opened by a coordinator of kvv-gbg (coordinating); sot-1480 holds overall
 * responsibility, frv-gbg takes over; reg-vg is in consent only; sot-1401 is unrelated; af was
 * in consent and has been withdrawn. Admitted 60 days ago, released in 10: housing (sot-1480),
 * treatment (reg-vg) and work (af) are overdue, so alerts are open to sot-1480, reg-vg and kvv.
 */
const AGENCY: Record<Relation, string> = {
  coordinating: 'kvv-gbg', holder: 'sot-1480', successor: 'frv-gbg', consented: 'reg-vg', unrelated: 'sot-1401', withdrawn: 'af',
};

interface Target { caseId: string }
interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: (x: Target, agencyId: string) => Promise<string> | string;
  body?: unknown;
  /** Lists answer 200 either way; the cell says whether the case is in it. */
  list?: true;
  /** Needs a released case (follow-ups). */
  released?: true;
}

let s: ApiTestStack;
let call: Call;
const tokens = new Map<string, string>();
const tokenFor = async (role: Role, relation: Relation) => {
  const key = `${role}@${relation}`;
  if (!tokens.has(key)) {
    tokens.set(key, await s.token(role === 'admin' ? { sub: 'matrix-admin', role } : { sub: `matrix-${key}`, role, agencyId: AGENCY[relation] }));
  }
  return tokens.get(key)!;
};

/** An intervention the caller's agency holds on the case, or one it does not (i1 or another). */
async function ownIntervention(caseId: string, agencyId: string): Promise<string> {
  const r = await s.pool.query<{ intervention_id: string }>(
    `SELECT intervention_id FROM tasks WHERE case_id = $1 AND kind = 'intervention' AND status IN ('planned', 'accepted')
      ORDER BY (agency_id = $2) DESC NULLS LAST, intervention_id LIMIT 1`, [caseId, agencyId]);
  return r.rows[0]!.intervention_id;
}
/** An open alert of the case addressed to the caller's agency, or one addressed to another. */
async function ownAlert(caseId: string, agencyId: string): Promise<string> {
  const r = await s.pool.query<{ alert_id: string }>(
    `SELECT alert_id FROM alerts WHERE case_id = $1 AND status = 'open' ORDER BY (agency_id = $2) DESC, alert_id LIMIT 1`, [caseId, agencyId]);
  return r.rows[0]!.alert_id;
}

const ROUTES: Record<keyof typeof MATRIX, Route> = {
  'GET /v1/cases/{caseId}': { method: 'GET', path: (x) => `/v1/cases/${x.caseId}` },
  'GET /v1/cases/{caseId}/events': { method: 'GET', path: (x) => `/v1/cases/${x.caseId}/events` },
  'GET /v1/cases/{caseId}/access-log': { method: 'GET', path: (x) => `/v1/cases/${x.caseId}/access-log` },
  'GET /v1/cases/{caseId}/export': { method: 'GET', path: (x) => `/v1/cases/${x.caseId}/export` },
  'DELETE /v1/cases/{caseId}': { method: 'DELETE', path: (x) => `/v1/cases/${x.caseId}`, body: { reason: 'opened_in_error' } },
  'GET /v1/cases': { method: 'GET', path: () => '/v1/cases', list: true },
  'GET /v1/tasks': { method: 'GET', path: () => '/v1/tasks?status=all', list: true },
  'GET /v1/alerts': { method: 'GET', path: () => '/v1/alerts?status=all', list: true },
  'POST /v1/cases/{caseId}/transitions': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/transitions`, body: { to: 'utslussning', measure: 'frigang' } },
  'PUT /v1/cases/{caseId}/release-date': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/release-date`, body: { expectedReleaseAt: inDays(180), reason: 'Ny beräkning' } },
  // The shared case has Kriminalvården's date (in 10 days): the sentence only adds an estimate beside it.
  'PUT /v1/cases/{caseId}/sentence': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/sentence`, body: { length: 'P1Y', startsAt: inDays(-60).slice(0, 10), judgmentAt: inDays(-70).slice(0, 10) } },
  'PUT /v1/cases/{caseId}/needs': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/needs`, body: { needs: ['boende'] } },
  'PUT /v1/cases/{caseId}/risk-level': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/risk-level`, body: { riskLevel: 'medium', reason: 'Ny bedömning' } },
  'PUT /v1/cases/{caseId}/consent': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/consent`, body: { agencyIds: ['sot-1480', 'reg-vg', 'frv-gbg', 'af'] } },
  'PUT /v1/cases/{caseId}/responsibility': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/responsibility`, body: { holderAgencyId: 'kvv-gbg', successorAgencyId: 'frv-gbg' } },
  'PUT /v1/cases/{caseId}/client-view': { method: 'PUT', path: (x) => `/v1/cases/${x.caseId}/client-view`, body: { text: 'Vill bo nära familjen' } },
  'POST /v1/cases/{caseId}/meetings': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/meetings`, body: { agencyIds: ['sot-1480'] } },
  'POST /v1/cases/{caseId}/plan/adopt': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/plan/adopt`, body: {} },
  'POST /v1/cases/{caseId}/interventions': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/interventions`, body: { area: 'natverk', title: 'Nätverksmöte', agencyId: 'sot-1480', requiredBeforeRelease: false } },
  'POST /v1/cases/{caseId}/interventions/{own}/accept': { method: 'POST', path: async (x, a) => `/v1/cases/${x.caseId}/interventions/${await ownIntervention(x.caseId, a)}/accept`, body: {} },
  'POST /v1/cases/{caseId}/interventions/{own}/complete': { method: 'POST', path: async (x, a) => `/v1/cases/${x.caseId}/interventions/${await ownIntervention(x.caseId, a)}/complete`, body: {} },
  'POST /v1/cases/{caseId}/interventions/{own}/decline': { method: 'POST', path: async (x, a) => `/v1/cases/${x.caseId}/interventions/${await ownIntervention(x.caseId, a)}/decline`, body: { reason: 'Klienten avböjer' } },
  'POST /v1/cases/{caseId}/interventions/i1/waive': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/interventions/i1/waive`, body: { reason: 'Behövs inte' } },
  'POST /v1/cases/{caseId}/interventions/i1/reassign': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/interventions/i1/reassign`, body: { agencyId: 'reg-vg' } },
  'POST /v1/cases/{caseId}/follow-ups/f1/complete': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/follow-ups/f1/complete`, body: {}, released: true },
  'POST /v1/cases/{caseId}/transfer': { method: 'POST', path: (x) => `/v1/cases/${x.caseId}/transfer`, body: { toAgencyId: 'reg-vg', reason: 'Klienten flyttar' } },
  'POST /v1/alerts/{own}/acknowledge': { method: 'POST', path: async (x, a) => `/v1/alerts/${await ownAlert(x.caseId, a)}/acknowledge` },
};

/** The case described at the top, settled (every alert due is raised). */
async function relatedCase(opts: { released?: boolean } = {}): Promise<Target> {
  const coordinator = await tokenFor('coordinator', 'coordinating');
  const c = await openCase({ call, pool: s.pool }, coordinator, {
    admittedAt: inDays(-60), expectedReleaseAt: inDays(10),
    responsibility: { holderAgencyId: 'sot-1480', successorAgencyId: 'frv-gbg' },
  });
  const withdrawn = await call('PUT', `/v1/cases/${c.caseId}/consent`, { token: coordinator, body: { agencyIds: ['sot-1480', 'reg-vg', 'frv-gbg'] } });
  if (withdrawn.status !== 200) throw new Error(`consent: ${withdrawn.status} ${withdrawn.text}`);
  if (opts.released) {
    const r = await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: coordinator, body: { to: 'frigiven' } });
    if (r.status !== 200) throw new Error(`release: ${r.status} ${r.text}`);
  }
  await settle(s.pool, c.caseId);
  return { caseId: c.caseId };
}

let shared: Target;
let sharedReleased: Target;
beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  [shared, sharedReleased] = await Promise.all([relatedCase(), relatedCase({ released: true })]);
}, 60_000);
afterAll(async () => {
  await s?.close();
});

const cells = Object.entries(MATRIX).flatMap(([name, byRole]) =>
  ROLES.flatMap((role) => byRole[role].trim().split(/\s+/).map((want, k) => ({ name, role, relation: RELATIONS[k]!, want }))));

test('the README prints this matrix', () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  expect(readme).toContain(matrixMarkdown());
});

test('the matrix covers every role and relation of every route', () => {
  expect(cells).toHaveLength(Object.keys(MATRIX).length * ROLES.length * RELATIONS.length);
  for (const c of cells) expect(c.want).toMatch(/^(200|201|204|403|404|in|out)$/);
});

describe('route × role × relationship', () => {
  test.each(cells.map((c) => [`${c.name} as ${c.role} of the ${c.relation} agency → ${c.want}`, c] as const))('%s', async (_n, { name, role, relation, want }) => {
    const route = ROUTES[name]!;
    const changes = want === '200' || want === '201' || want === '204';
    // A call that changes the case gets a case of its own; the others share one, which must not move.
    const target = changes && route.method !== 'GET' ? await relatedCase({ released: route.released }) : route.released ? sharedReleased : shared;
    const before = changes ? undefined : await snapshot(s.pool, target.caseId);
    const token = await tokenFor(role, relation);
    const r: Response = await call(route.method, await route.path(target, AGENCY[relation]), { token, ...(route.body !== undefined ? { body: route.body } : {}) });
    if (route.list && r.status === 200) {
      const listed = (r.body.items as { caseId: string }[]).some((i) => i.caseId === target.caseId);
      expect(listed ? 'in' : 'out').toBe(want);
    } else {
      expect({ status: String(r.status), body: r.status >= 300 && want !== String(r.status) ? r.body : '-' }).toEqual({ status: want, body: '-' });
    }
    if (before) expect(await snapshot(s.pool, target.caseId)).toEqual(before);
  });
});
