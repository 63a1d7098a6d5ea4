import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import { caller, caseBody, eventTypes, inDays, openCase, settle, tokensFor, validPin, type Call, type Response, type Tokens } from './support';

/**
 * Who may do what, route by route (shared/spec/API.md): the allowed roles get a 2xx, any other
 * role a 403, no token a 401, and an agency sees and acts on a client only under consent, and
 * only on its own work (404 otherwise, so it cannot even learn that the client exists).
 */

let s: ApiTestStack;
let call: Call;
let t: Tokens;
const ctx = () => ({ call, pool: s.pool });

type Role = 'coordinator' | 'agency' | 'supervisor' | 'admin';
const ROLES: Role[] = ['coordinator', 'agency', 'supervisor', 'admin'];

/** What a request acts on. */
interface Target {
  caseId: string;
  interventionId: string;
  followUpId: string;
  alertId: string;
}
/**
 * `shared`: read-only, one case for all; `fresh`: a new case per allowed call (it changes it);
 * `released`: a new released case with follow-ups; `alert`: a new case with an open alert to
 * sot-1480; `none`: no case at all.
 */
type TargetKind = 'shared' | 'fresh' | 'released' | 'alert' | 'none';

interface Row {
  method: 'GET' | 'POST' | 'PUT';
  route: string;
  path: (x: Target, role: Role) => string;
  body?: (x: Target) => unknown;
  allowed: Role[];
  target: TargetKind;
  /** Which agency acts in the `agency` role (default: sot-1480, which holds i1). */
  agency?: keyof Tokens;
  /** Which supervisor (default: sot-1480's). */
  supervisor?: keyof Tokens;
  ok?: number;
  stream?: true;
}

const policy = {
  requirements: [{ area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'P30D', title: 'Bostad' }],
  reminders: ['P7D'], escalation: { level2After: 'P3D' }, followUps: { high: ['P1D'], medium: ['P7D'], low: ['P30D'] },
};

const ROWS: Row[] = [
  // Administration
  { method: 'PUT', route: '/v1/agencies/{agencyId}', path: (_x, r) => `/v1/agencies/matrix-${r}`,
    body: () => ({ type: 'ideell', name: 'Matrisföreningen', municipalities: ['1480'] }), allowed: ['admin'], target: 'none' },
  { method: 'GET', route: '/v1/agencies', path: () => '/v1/agencies', allowed: ROLES, target: 'none' },
  { method: 'PUT', route: '/v1/policies/{policyId}', path: () => '/v1/policies/matrix', body: () => policy, allowed: ['admin'], target: 'none' },
  { method: 'GET', route: '/v1/policies', path: () => '/v1/policies', allowed: ROLES, target: 'none' },
  { method: 'GET', route: '/v1/policies/{policyId}', path: () => '/v1/policies/default', allowed: ROLES, target: 'none' },
  // Cases
  { method: 'POST', route: '/v1/cases', path: () => '/v1/cases', body: () => caseBody(), allowed: ['coordinator'], target: 'none', ok: 201 },
  // Administrators see no client data at all (issue 14).
  { method: 'GET', route: '/v1/cases', path: () => '/v1/cases', allowed: ['coordinator', 'supervisor', 'agency'], target: 'shared' },
  { method: 'GET', route: '/v1/cases/{caseId}', path: (x) => `/v1/cases/${x.caseId}`, allowed: ['coordinator', 'supervisor', 'agency'], target: 'shared' },
  { method: 'GET', route: '/v1/cases/{caseId}/events', path: (x) => `/v1/cases/${x.caseId}/events`,
    allowed: ['coordinator', 'supervisor'], target: 'shared' },
  { method: 'GET', route: '/v1/cases/{caseId}/access-log', path: (x) => `/v1/cases/${x.caseId}/access-log`,
    allowed: ['coordinator', 'supervisor'], supervisor: 'coordinatorBoss', target: 'shared' },
  { method: 'POST', route: '/v1/cases/{caseId}/transfer', path: (x) => `/v1/cases/${x.caseId}/transfer`,
    body: () => ({ toAgencyId: 'frv-gbg', reason: 'Klienten flyttar' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/transitions', path: (x) => `/v1/cases/${x.caseId}/transitions`,
    body: () => ({ to: 'utslussning', measure: 'frigang' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/release-date', path: (x) => `/v1/cases/${x.caseId}/release-date`,
    body: () => ({ expectedReleaseAt: inDays(180), reason: 'Ny beräkning' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/sentence', path: (x) => `/v1/cases/${x.caseId}/sentence`,
    body: () => ({ length: 'P2Y', startsAt: inDays(-1).slice(0, 10), judgmentAt: inDays(-5).slice(0, 10), reason: 'Dom' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/needs', path: (x) => `/v1/cases/${x.caseId}/needs`,
    body: () => ({ needs: ['boende'] }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/consent', path: (x) => `/v1/cases/${x.caseId}/consent`,
    body: () => ({ agencyIds: ['sot-1480', 'reg-vg', 'af'] }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/responsibility', path: (x) => `/v1/cases/${x.caseId}/responsibility`,
    body: () => ({ holderAgencyId: 'kvv-gbg', successorAgencyId: 'sot-1480' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions', path: (x) => `/v1/cases/${x.caseId}/interventions`,
    body: () => ({ area: 'natverk', title: 'Nätverksmöte', agencyId: 'sot-1480', requiredBeforeRelease: false }),
    allowed: ['coordinator'], target: 'fresh', ok: 201 },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions/{id}/accept', path: (x) => `/v1/cases/${x.caseId}/interventions/${x.interventionId}/accept`,
    body: () => ({}), allowed: ['agency'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions/{id}/complete', path: (x) => `/v1/cases/${x.caseId}/interventions/${x.interventionId}/complete`,
    body: () => ({ note: 'Klart' }), allowed: ['agency'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions/{id}/decline', path: (x) => `/v1/cases/${x.caseId}/interventions/${x.interventionId}/decline`,
    body: () => ({ reason: 'Klienten avböjer' }), allowed: ['coordinator', 'agency'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions/{id}/waive', path: (x) => `/v1/cases/${x.caseId}/interventions/${x.interventionId}/waive`,
    body: () => ({ reason: 'Behövs inte' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/interventions/{id}/reassign', path: (x) => `/v1/cases/${x.caseId}/interventions/${x.interventionId}/reassign`,
    body: () => ({ agencyId: 'frv-gbg' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/follow-ups/{id}/complete', path: (x) => `/v1/cases/${x.caseId}/follow-ups/${x.followUpId}/complete`,
    body: () => ({ note: 'Träffade klienten' }), allowed: ['agency'], agency: 'probation', target: 'released' },
  // Routes beyond the contract, same rules: coordinators plan.
  { method: 'PUT', route: '/v1/cases/{caseId}/risk-level', path: (x) => `/v1/cases/${x.caseId}/risk-level`,
    body: () => ({ riskLevel: 'medium', reason: 'Ny bedömning' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'PUT', route: '/v1/cases/{caseId}/client-view', path: (x) => `/v1/cases/${x.caseId}/client-view`,
    body: () => ({ text: 'Vill bo nära familjen' }), allowed: ['coordinator'], target: 'fresh' },
  { method: 'POST', route: '/v1/cases/{caseId}/meetings', path: (x) => `/v1/cases/${x.caseId}/meetings`,
    body: () => ({ agencyIds: ['sot-1480'] }), allowed: ['coordinator'], target: 'fresh', ok: 201 },
  { method: 'POST', route: '/v1/cases/{caseId}/plan/adopt', path: (x) => `/v1/cases/${x.caseId}/plan/adopt`,
    body: () => ({}), allowed: ['coordinator'], target: 'fresh' },
  // Agencies' work, alerts, figures
  { method: 'GET', route: '/v1/tasks', path: () => '/v1/tasks', allowed: ['agency', 'supervisor'], target: 'shared' },
  { method: 'GET', route: '/v1/alerts', path: () => '/v1/alerts?status=all', allowed: ['supervisor'], target: 'shared' },
  { method: 'POST', route: '/v1/alerts/{alertId}/acknowledge', path: (x) => `/v1/alerts/${x.alertId}/acknowledge`,
    allowed: ['supervisor'], target: 'alert' },
  { method: 'GET', route: '/v1/alerts/stream', path: () => '/v1/alerts/stream', allowed: ['supervisor'], target: 'none', stream: true },
  { method: 'GET', route: '/v1/metrics/summary', path: () => '/v1/metrics/summary', allowed: ['supervisor', 'coordinator', 'admin'], target: 'none' },
  // Foresight (issue 19): a what-if over simulated clients, and lead times that name no client.
  { method: 'POST', route: '/v1/simulations', path: () => '/v1/simulations', body: () => ({ policy: 'default', releases: 5 }),
    allowed: ['admin', 'supervisor'], target: 'none' },
  { method: 'GET', route: '/v1/forecast/lead-times', path: () => '/v1/forecast/lead-times', allowed: ['supervisor', 'coordinator'], target: 'none' },
];

/** A case with nothing due for months; interventions i1 (sot-1480), i2 (reg-vg), i3 (af). */
async function freshCase(): Promise<Target> {
  const c = await openCase(ctx(), t.coordinator);
  return { caseId: c.caseId, interventionId: 'i1', followUpId: 'f1', alertId: 'none' };
}

/** Released today (high risk): follow-ups f1… for frivården. */
async function releasedCase(): Promise<Target> {
  const x = await freshCase();
  const r = await call('POST', `/v1/cases/${x.caseId}/transitions`, { token: t.coordinator, body: { to: 'frigiven' } });
  expect(r.status).toBe(200);
  await settle(s.pool, x.caseId);
  expect(r.body.followUps[0]).toMatchObject({ followUpId: 'f1', agencyId: 'frv-gbg', status: 'open' });
  return x;
}

/** Release in 10 days, admitted 60 days ago: housing was due 20 days ago, so alerts are open. */
async function caseWithAlerts(): Promise<Target & { alerts: { alertId: string; agencyId: string; status: string }[] }> {
  const c = await openCase(ctx(), t.coordinator, { admittedAt: inDays(-60), expectedReleaseAt: inDays(10) });
  const r = await s.pool.query<{ alert_id: string; agency_id: string; status: string }>(
    'SELECT alert_id, agency_id, status FROM alerts WHERE case_id = $1 ORDER BY alert_id', [c.caseId],
  );
  const alerts = r.rows.map((a) => ({ alertId: a.alert_id, agencyId: a.agency_id, status: a.status }));
  const mine = alerts.find((a) => a.agencyId === 'sot-1480' && a.status === 'open');
  if (!mine) throw new Error(`no open alert to sot-1480: ${JSON.stringify(alerts)}`);
  return { caseId: c.caseId, interventionId: 'i1', followUpId: 'f1', alertId: mine.alertId, alerts };
}

async function targetFor(kind: TargetKind): Promise<Target> {
  switch (kind) {
    case 'shared': return shared;
    case 'fresh': return freshCase();
    case 'released': return releasedCase();
    case 'alert': return caseWithAlerts();
    case 'none': return { caseId: 'none', interventionId: 'none', followUpId: 'none', alertId: 'none' };
  }
}

function tokenOf(role: Role, row: Row): string {
  switch (role) {
    case 'coordinator': return t.coordinator;
    case 'agency': return t[row.agency ?? 'social'];
    case 'supervisor': return t[row.supervisor ?? 'socialBoss'];
    case 'admin': return t.admin;
  }
}

/** The live alert stream answers with its headers at once; read them and hang up. */
async function openStream(token: string | undefined): Promise<Response> {
  const ac = new AbortController();
  const res = await fetch(`${s.api.url}/v1/alerts/stream`, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ac.signal });
  let text = '';
  if (res.status === 200) await res.body?.cancel().catch(() => undefined);
  else text = await res.text();
  ac.abort();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers, text };
}

async function send(row: Row, target: Target, role: Role | 'nobody' | 'forged'): Promise<Response> {
  const token = role === 'nobody' ? undefined : role === 'forged' ? `${t.admin.slice(0, -4)}AAAA` : tokenOf(role, row);
  if (row.stream) return openStream(token);
  return call(row.method, row.path(target, role === 'nobody' || role === 'forged' ? 'admin' : role), {
    ...(token ? { token } : {}),
    ...(row.body ? { body: row.body(target) } : {}),
  });
}

let shared: Target;
/** Real targets for the refused calls: refused before anything runs, so they stay as they are. */
let refusedTargets: Record<TargetKind, Target>;

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
  shared = await freshCase();
  const [released, alerted] = await Promise.all([releasedCase(), caseWithAlerts()]);
  refusedTargets = { shared, fresh: shared, released, alert: alerted, none: await targetFor('none') };
});
afterAll(async () => {
  await s?.close();
});

const cells = ROWS.flatMap((row) => ROLES.map((role) => ({ row, role, allowed: row.allowed.includes(role) })));

describe('route × role', () => {
  test.each(cells.map((c) => [`${c.row.method} ${c.row.route} as ${c.role} → ${c.allowed ? c.row.ok ?? 200 : 403}`, c] as const))(
    '%s',
    async (_name, { row, role, allowed }) => {
      const target = allowed ? await targetFor(row.target) : refusedTargets[row.target];
      const before = target.caseId !== 'none' ? await eventTypes(s.pool, target.caseId) : [];
      const r = await send(row, target, role);
      if (allowed) {
        expect({ status: r.status, body: r.status >= 300 ? r.body : 'ok' }).toEqual({ status: row.ok ?? 200, body: 'ok' });
        if (row.stream) expect(r.headers.get('content-type')).toMatch(/^text\/event-stream/);
      } else {
        expect({ status: r.status, type: r.body?.type }).toEqual({ status: 403, type: 'urn:glappfri:problem:forbidden' });
        expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        if (target.caseId !== 'none') expect(await eventTypes(s.pool, target.caseId)).toEqual(before);
      }
    },
  );
});

describe('no token or a forged one → 401 on every route', () => {
  test.each(ROWS.map((row) => [`${row.method} ${row.route}`, row] as const))('%s', async (_name, row) => {
    const target = refusedTargets[row.target];
    const before = target.caseId !== 'none' ? await eventTypes(s.pool, target.caseId) : [];
    for (const who of ['nobody', 'forged'] as const) {
      const r = await send(row, target, who);
      expect({ who, status: r.status, type: r.body?.type }).toEqual({ who, status: 401, type: 'urn:glappfri:problem:unauthorized' });
      expect(r.headers.get('www-authenticate')).toBe('Bearer');
    }
    if (target.caseId !== 'none') expect(await eventTypes(s.pool, target.caseId)).toEqual(before);
  });
});

describe('consent: an agency outside it sees nothing of the client', () => {
  const actions = [
    ['accept', {}],
    ['complete', { note: 'x' }],
    ['decline', { reason: 'x' }],
  ] as const;

  test('never in consent: 404 on the case and its interventions, absent from /v1/cases and /v1/tasks', async () => {
    // af is left out of this client's consent, so its work intervention (i3) is unassigned.
    const c = await openCase(ctx(), t.coordinator, { consent: { agencyIds: ['sot-1480', 'reg-vg', 'frv-gbg'] } });
    expect(c.interventions.find((i: { area: string }) => i.area === 'sysselsattning')).toMatchObject({ agencyId: null, status: 'unassigned' });
    for (const token of [t.work, t.outsider]) {
      expect((await call('GET', `/v1/cases/${c.caseId}`, { token })).status).toBe(404);
      for (const [action, body] of actions) {
        for (const id of ['i1', 'i2', 'i3']) {
          const r = await call('POST', `/v1/cases/${c.caseId}/interventions/${id}/${action}`, { token, body });
          expect({ action, id, status: r.status }).toEqual({ action, id, status: 404 });
        }
      }
      const list = await call('GET', '/v1/cases', { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { caseId: string }) => x.caseId)).not.toContain(c.caseId);
      for (const status of ['open', 'overdue', 'done', 'all']) {
        const tasks = await call('GET', `/v1/tasks?status=${status}`, { token });
        expect(tasks.body.items.map((x: { caseId: string }) => x.caseId)).not.toContain(c.caseId);
      }
    }
    // The agencies in consent do see it.
    expect((await call('GET', `/v1/cases/${c.caseId}`, { token: t.social })).status).toBe(200);
    const sotList = await call('GET', '/v1/cases', { token: t.social });
    expect(sotList.body.items.map((x: { caseId: string }) => x.caseId)).toContain(c.caseId);
    expect(await eventTypes(s.pool, c.caseId)).not.toContain('InterventionAccepted');
  });

  test('withdrawn consent: access and tasks end at once', async () => {
    const c = await openCase(ctx(), t.coordinator);
    const before = await call('GET', '/v1/tasks', { token: t.work });
    expect(before.body.items).toContainEqual(expect.objectContaining({ caseId: c.caseId, interventionId: 'i3' }));
    const withdrawn = await call('PUT', `/v1/cases/${c.caseId}/consent`, { token: t.coordinator, body: { agencyIds: ['sot-1480', 'reg-vg', 'frv-gbg'] } });
    expect(withdrawn.status).toBe(200);
    await settle(s.pool, c.caseId);
    expect((await call('GET', `/v1/cases/${c.caseId}`, { token: t.work })).status).toBe(404);
    for (const [action, body] of actions) {
      expect((await call('POST', `/v1/cases/${c.caseId}/interventions/i3/${action}`, { token: t.work, body })).status).toBe(404);
    }
    const all = await call('GET', '/v1/tasks?status=all', { token: t.work });
    expect(all.body.items.map((x: { caseId: string }) => x.caseId)).not.toContain(c.caseId);
    const list = await call('GET', '/v1/cases', { token: t.work });
    expect(list.body.items.map((x: { caseId: string }) => x.caseId)).not.toContain(c.caseId);
  });
});

describe("an agency and another agency's work", () => {
  test("acting on another agency's intervention (or follow-up) → 404, nothing recorded", async () => {
    const c = await releasedCase();
    const before = await eventTypes(s.pool, c.caseId);
    // reg-vg and af are in consent but hold i2 and i3, not i1; sot-1480 holds no follow-up.
    for (const token of [t.region, t.work]) {
      for (const [action, body] of [['accept', {}], ['complete', {}], ['decline', { reason: 'x' }]] as const) {
        const r = await call('POST', `/v1/cases/${c.caseId}/interventions/i1/${action}`, { token, body });
        expect({ action, status: r.status }).toEqual({ action, status: 404 });
      }
    }
    const r = await call('POST', `/v1/cases/${c.caseId}/follow-ups/f1/complete`, { token: t.social, body: {} });
    expect(r.status).toBe(404);
    expect(await eventTypes(s.pool, c.caseId)).toEqual(before);
  });

  test('an agency sees only its own interventions, follow-ups and gaps in the CaseView', async () => {
    const c = await openCase(ctx(), t.coordinator, {
      client: { name: 'Klient Vy', municipality: '1480', personalIdentityNumber: validPin('19900315', '482') },
    });
    await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: t.coordinator, body: { to: 'frigiven' } });
    await settle(s.pool, c.caseId);
    const full = await call('GET', `/v1/cases/${c.caseId}`, { token: t.coordinator });
    expect(full.body.interventions.map((i: { agencyId: string }) => i.agencyId).sort()).toEqual(['af', 'reg-vg', 'sot-1480']);
    expect(full.body.client.personalIdentityNumber).toBe('19900315-****');
    const own: [string, string][] = [[t.social, 'sot-1480'], [t.region, 'reg-vg'], [t.work, 'af'], [t.probation, 'frv-gbg']];
    for (const [token, agencyId] of own) {
      const v = await call('GET', `/v1/cases/${c.caseId}`, { token });
      expect(v.status).toBe(200);
      const interventions = v.body.interventions as { interventionId: string; agencyId: string }[];
      expect(interventions.every((i) => i.agencyId === agencyId)).toBe(true);
      expect(interventions).toHaveLength(agencyId === 'frv-gbg' ? 0 : 1);
      const followUps = v.body.followUps as { agencyId: string }[];
      expect(followUps.every((f) => f.agencyId === agencyId)).toBe(true);
      expect(followUps.length > 0).toBe(agencyId === 'frv-gbg');
      const visible = new Set([...interventions.map((i) => i.interventionId), ...(v.body.followUps as { followUpId: string }[]).map((f) => f.followUpId)]);
      for (const g of v.body.gaps as { interventionId?: string; followUpId?: string }[]) {
        expect(visible.has(g.interventionId ?? g.followUpId ?? 'case-level')).toBe(true);
      }
      expect(v.body.client).not.toHaveProperty('personalIdentityNumber');
      expect(v.text).not.toContain('19900315');
    }
  });
});

describe('supervisors and alerts', () => {
  test('a supervisor sees only alerts addressed to their agency, and acknowledges only those', async () => {
    const c = await caseWithAlerts();
    const byAgency = new Map<string, string[]>();
    for (const a of c.alerts) byAgency.set(a.agencyId, [...(byAgency.get(a.agencyId) ?? []), a.alertId]);
    expect([...byAgency.keys()].sort()).toEqual(expect.arrayContaining(['af', 'kvv-gbg', 'sot-1480']));
    const bosses: [string, string][] = [[t.socialBoss, 'sot-1480'], [t.workBoss, 'af'], [t.coordinatorBoss, 'kvv-gbg']];
    for (const [token, agencyId] of bosses) {
      for (const status of ['open', 'all']) {
        const r = await call('GET', `/v1/alerts?status=${status}`, { token });
        expect(r.status).toBe(200);
        const items = r.body.items as { alertId: string; agencyId: string; caseId: string }[];
        expect(items.filter((a) => a.agencyId !== agencyId)).toEqual([]);
        expect(items.filter((a) => a.caseId === c.caseId).map((a) => a.alertId).sort()).toEqual([...byAgency.get(agencyId)!].sort());
      }
    }
    // Another agency's supervisor cannot acknowledge it: to them it does not exist.
    const sotAlert = byAgency.get('sot-1480')![0]!;
    const before = await eventTypes(s.pool, c.caseId);
    for (const token of [t.workBoss, t.coordinatorBoss]) {
      expect((await call('POST', `/v1/alerts/${sotAlert}/acknowledge`, { token })).status).toBe(404);
    }
    expect(await eventTypes(s.pool, c.caseId)).toEqual(before);
    const ack = await call('POST', `/v1/alerts/${sotAlert}/acknowledge`, { token: t.socialBoss });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ alertId: sotAlert, status: 'acknowledged', agencyId: 'sot-1480' });
  });

  test("an agency's and a supervisor's task list hold only their own agency's tasks", async () => {
    const c = await openCase(ctx(), t.coordinator);
    const expected: [string, string][] = [[t.social, 'i1'], [t.region, 'i2'], [t.work, 'i3'], [t.socialBoss, 'i1'], [t.workBoss, 'i3']];
    for (const [token, interventionId] of expected) {
      const r = await call('GET', '/v1/tasks?status=all', { token });
      expect(r.body.items.filter((x: { caseId: string }) => x.caseId === c.caseId).map((x: { interventionId: string }) => x.interventionId))
        .toEqual([interventionId]);
    }
  });
});

test('admin-only routes refuse every other role, and change nothing', async () => {
  const before = await call('GET', '/v1/policies/default', { token: t.coordinator });
  const agencies = await call('GET', '/v1/agencies', { token: t.coordinator });
  for (const token of [t.coordinator, t.social, t.socialBoss]) {
    const a = await call('PUT', '/v1/agencies/sot-1480', { token, body: { type: 'socialtjansten', name: 'Kapad', municipalities: ['*'] } });
    const p = await call('PUT', '/v1/policies/default', { token, body: policy });
    expect([a.status, p.status]).toEqual([403, 403]);
  }
  expect(await call('GET', '/v1/policies/default', { token: t.coordinator })).toMatchObject({ status: 200, body: before.body });
  expect((await call('GET', '/v1/agencies', { token: t.coordinator })).body).toEqual(agencies.body);
});
