import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import {
  badCheckDigitPin, caseBody, inDays, LogCapture, OUTSIDER_AGENCY, openCase, settle, snapshot, startApiWithLogs, tableCounts,
  tokensFor, validPin, type Call, type ExtraApi, type Response, type Tokens,
} from './support';

/**
 * Invalid input is a 400 problem naming the field (`errors[].path`, relative to the body); a
 * command the case's state does not allow is a 409; and neither changes anything: the case's
 * event log and every read model stay as they were. The personal identity number never
 * appears in an error response nor in a log line of the API, whatever was sent.
 */

let s: ApiTestStack;
let api: ExtraApi;
let call: Call;
let t: Tokens;
const logs = new LogCapture();
const ctx = () => ({ call, pool: s.pool });

const PIN = validPin('19850101', '237');
const BAD_PIN = badCheckDigitPin('19850101', '237');
/** Every way the numbers could be written out. */
const pinForms = (pin: string) => [pin, `${pin.slice(0, 8)}-${pin.slice(8)}`, pin.slice(2), `${pin.slice(2, 8)}-${pin.slice(8)}`];
const SECRETS = [...pinForms(PIN), ...pinForms(BAD_PIN)];

/** Every response of this file, to check at the end that none of the errors leaks the number. */
const responses: Response[] = [];

beforeAll(async () => {
  s = await startApiTestStack();
  t = await tokensFor(s);
  // A second API over the same stack whose log lines are kept, at the most verbose level.
  api = await startApiWithLogs(s, logs, 'trace');
  call = async (method, path, opts) => {
    const r = await api.call(method, path, opts);
    responses.push(r);
    return r;
  };
});
afterAll(async () => {
  await api?.close();
  await s?.close();
});

function expectProblem(r: Response, status: number, path?: string) {
  expect({ status: r.status, contentType: r.headers.get('content-type') }).toEqual({
    status, contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(r.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
  if (path !== undefined) expect(r.body.errors?.map((e: { path: string }) => e.path)).toContain(path);
}

const client = (over: Record<string, unknown> = {}) => ({ name: 'Klient Fel', municipality: '1480', personalIdentityNumber: PIN, ...over });
const withoutKey = (key: string) => {
  const b: Record<string, unknown> = caseBody({ client: client() });
  delete b[key];
  return b;
};

describe('POST /v1/cases: invalid bodies name the field, and nothing is stored', () => {
  const cases: [string, string, () => unknown][] = [
    ['personal identity number with a wrong check digit', 'client.personalIdentityNumber', () => caseBody({ client: client({ personalIdentityNumber: BAD_PIN }) })],
    ['personal identity number with a hyphen in the wrong place', 'client.personalIdentityNumber', () => caseBody({ client: client({ personalIdentityNumber: `${PIN.slice(0, 6)}-${PIN.slice(6)}` }) })],
    ['personal identity number in the 10-digit form', 'client.personalIdentityNumber', () => caseBody({ client: client({ personalIdentityNumber: PIN.slice(2) }) })],
    ['personal identity number with an impossible date', 'client.personalIdentityNumber', () => caseBody({ client: client({ personalIdentityNumber: '198513012374' }) })],
    ['personal identity number as a number', 'client.personalIdentityNumber', () => caseBody({ client: client({ personalIdentityNumber: Number(PIN) }) })],
    ['municipality of three digits', 'client.municipality', () => caseBody({ client: client({ municipality: '148' }) })],
    ['municipality of letters', 'client.municipality', () => caseBody({ client: client({ municipality: 'Göte' }) })],
    ['blank client name', 'client.name', () => caseBody({ client: client({ name: '   ' }) })],
    ['no client', 'client', () => withoutKey('client')],
    ['anstalt without expectedReleaseAt', 'expectedReleaseAt', () => withoutKey('expectedReleaseAt')],
    ['utslussning without expectedReleaseAt', 'expectedReleaseAt', () => ({ ...withoutKey('expectedReleaseAt'), phase: 'utslussning', measure: 'frigang' })],
    ['expectedReleaseAt before admittedAt', 'expectedReleaseAt', () => caseBody({ client: client(), expectedReleaseAt: inDays(-2) })],
    ['expectedReleaseAt without an offset', 'expectedReleaseAt', () => caseBody({ client: client(), expectedReleaseAt: '2027-06-01T08:00:00' })],
    ['admittedAt not a time', 'admittedAt', () => caseBody({ client: client(), admittedAt: 'igår' })],
    ['admittedAt in year 0', 'admittedAt', () => caseBody({ client: client(), admittedAt: '0000-01-01T00:00:00Z' })],
    ['unknown phase', 'phase', () => caseBody({ client: client(), phase: 'fängelse' })],
    ['opened as avslutad', 'phase', () => caseBody({ client: client(), phase: 'avslutad' })],
    ['utslussning without a measure', 'measure', () => caseBody({ client: client(), phase: 'utslussning' })],
    ['a measure outside utslussning', 'measure', () => caseBody({ client: client(), measure: 'frigang' })],
    ['unknown risk level', 'riskLevel', () => caseBody({ client: client(), riskLevel: 'extreme' })],
    ['unknown need', 'needs.1', () => caseBody({ client: client(), needs: ['boende', 'flyg'] })],
    ['a need listed twice', 'needs', () => caseBody({ client: client(), needs: ['boende', 'boende'] })],
    ['unknown agency in consent', 'consent.agencyIds.0', () => caseBody({ client: client(), consent: { agencyIds: ['ghost-agency'] } })],
    ['second agency in consent unknown', 'consent.agencyIds.1', () => caseBody({ client: client(), consent: { agencyIds: ['sot-1480', 'ghost-agency'] } })],
    ['consent not a list', 'consent.agencyIds', () => caseBody({ client: client(), consent: { agencyIds: 'sot-1480' } })],
    ['unknown successor', 'responsibility.successorAgencyId', () => caseBody({ client: client(), responsibility: { successorAgencyId: 'ghost-agency' } })],
    ['unknown policy', 'policyId', () => caseBody({ client: client(), policyId: 'no-such-policy' })],
    ['a NUL character in the name', 'client.name', () => caseBody({ client: client({ name: 'Klient\u0000Fel' }) })],
    ['a sentence length that is no duration', 'sentence.length', () => ({ ...withoutKey('expectedReleaseAt'), sentence: { length: '2 år', startsAt: inDays(-1), judgmentAt: inDays(-10) } })],
    ['a sentence of nothing', 'sentence.length', () => ({ ...withoutKey('expectedReleaseAt'), sentence: { length: 'P0D', startsAt: inDays(-1), judgmentAt: inDays(-10) } })],
    ['a sentence start that is no date', 'sentence.startsAt', () => ({ ...withoutKey('expectedReleaseAt'), sentence: { length: 'P2Y', startsAt: 'i våras', judgmentAt: inDays(-10) } })],
    ['a sentence without its judgment date', 'sentence.judgmentAt', () => ({ ...withoutKey('expectedReleaseAt'), sentence: { length: 'P2Y', startsAt: inDays(-1) } })],
    // Two thirds of a year begun 400 days ago ended before this custody began (yesterday).
    ['a sentence whose estimate is before admission', 'sentence.startsAt', () => ({ ...withoutKey('expectedReleaseAt'), sentence: { length: 'P1Y', startsAt: inDays(-400), judgmentAt: inDays(-410) } })],
    ["a sentence that starts after Kriminalvården's date", 'sentence.startsAt', () => caseBody({ client: client(), sentence: { length: 'P1Y', startsAt: inDays(300), judgmentAt: inDays(-10) } })],
  ];

  test.each(cases)('%s → 400 %s', async (_name, path, body) => {
    const before = await tableCounts(s.pool);
    const r = await call('POST', '/v1/cases', { token: t.coordinator, body: body() });
    expectProblem(r, 400, path);
    expect(await tableCounts(s.pool)).toEqual(before);
  });

  test('häkte needs no expectedReleaseAt (the control case)', async () => {
    const b = { ...withoutKey('expectedReleaseAt'), phase: 'hakte' };
    const r = await call('POST', '/v1/cases', { token: t.coordinator, body: b });
    expect(r.status).toBe(201);
    expect(r.body.client.personalIdentityNumber).toBe('19850101-****');
    expect(r.text).not.toContain(PIN);
  });
});

describe('commands on an open case', () => {
  let caseId: string;
  let pristine: Awaited<ReturnType<typeof snapshot>>;
  let events: unknown;

  beforeAll(async () => {
    // The same test client in every case of the file: a second case meant, and said so.
    const c = await openCase(ctx(), t.coordinator, { client: client(), allowSecondCase: true });
    caseId = c.caseId;
    pristine = await snapshot(s.pool, caseId);
    events = (await call('GET', `/v1/cases/${caseId}/events`, { token: t.coordinator })).body;
  });

  /** The event log through the API, and every stored row, exactly as before. */
  async function expectUnchanged() {
    const now = await call('GET', `/v1/cases/${caseId}/events`, { token: t.coordinator });
    expect(now.body).toEqual(events);
    expect(await snapshot(s.pool, caseId)).toEqual(pristine);
  }

  type Cell = [string, 'POST' | 'PUT', string, () => string, unknown, number, string | undefined];
  const coordinatorCells: Cell[] = [
    ['utslussning without a measure', 'POST', 'transitions', () => t.coordinator, { to: 'utslussning' }, 400, 'measure'],
    ['utslussning with an unknown measure', 'POST', 'transitions', () => t.coordinator, { to: 'utslussning', measure: 'rymning' }, 400, 'measure'],
    ['frigiven with a measure', 'POST', 'transitions', () => t.coordinator, { to: 'frigiven', measure: 'frigang' }, 400, 'measure'],
    ['closing without a reason', 'POST', 'transitions', () => t.coordinator, { to: 'avslutad' }, 400, 'reason'],
    ['a transition dated ahead', 'POST', 'transitions', () => t.coordinator, { to: 'frigiven', at: inDays(3) }, 400, 'at'],
    ['an unknown phase', 'POST', 'transitions', () => t.coordinator, { to: 'rymd' }, 400, 'to'],
    ['no target phase', 'POST', 'transitions', () => t.coordinator, {}, 400, 'to'],
    ['anstalt → häkte', 'POST', 'transitions', () => t.coordinator, { to: 'hakte' }, 409, undefined],
    ['anstalt → anstalt', 'POST', 'transitions', () => t.coordinator, { to: 'anstalt' }, 409, undefined],
    ['release date without a reason', 'PUT', 'release-date', () => t.coordinator, { expectedReleaseAt: inDays(100) }, 400, 'reason'],
    ['release date before admission', 'PUT', 'release-date', () => t.coordinator, { expectedReleaseAt: inDays(-30), reason: 'fel' }, 400, 'expectedReleaseAt'],
    ['release date not a time', 'PUT', 'release-date', () => t.coordinator, { expectedReleaseAt: 'snart', reason: 'x' }, 400, 'expectedReleaseAt'],
    ['release date in year 10000 (UTC)', 'PUT', 'release-date', () => t.coordinator, { expectedReleaseAt: '9999-12-31T23:00:00-14:00', reason: 'x' }, 400, 'expectedReleaseAt'],
    ['a sentence length that is no duration', 'PUT', 'sentence', () => t.coordinator, { length: 'två år', startsAt: inDays(-1), judgmentAt: inDays(-5) }, 400, 'length'],
    ['a sentence start that is no date', 'PUT', 'sentence', () => t.coordinator, { length: 'P2Y', startsAt: '2026-13-01', judgmentAt: inDays(-5) }, 400, 'startsAt'],
    ["a sentence that starts after Kriminalvården's date", 'PUT', 'sentence', () => t.coordinator, { length: 'P2Y', startsAt: inDays(250), judgmentAt: inDays(-5) }, 400, 'startsAt'],
    ['a sentence judgment that is no date', 'PUT', 'sentence', () => t.coordinator, { length: 'P2Y', startsAt: inDays(-1), judgmentAt: 'nyss' }, 400, 'judgmentAt'],
    ['the sentence by an agency officer', 'PUT', 'sentence', () => t.social, { length: 'P2Y', startsAt: inDays(-1), judgmentAt: inDays(-5) }, 403, undefined],
    ['an unknown need', 'PUT', 'needs', () => t.coordinator, { needs: ['boende', 'rymd'] }, 400, 'needs.1'],
    ['a need twice', 'PUT', 'needs', () => t.coordinator, { needs: ['boende', 'boende'] }, 400, 'needs'],
    ['needs as a string', 'PUT', 'needs', () => t.coordinator, { needs: 'boende' }, 400, 'needs'],
    ['an unknown agency in consent', 'PUT', 'consent', () => t.coordinator, { agencyIds: ['sot-1480', 'ghost-agency'] }, 400, 'agencyIds.1'],
    ['a malformed agency id in consent', 'PUT', 'consent', () => t.coordinator, { agencyIds: ['no spaces!'] }, 400, 'agencyIds.0'],
    ['an unknown holder', 'PUT', 'responsibility', () => t.coordinator, { holderAgencyId: 'ghost-agency', successorAgencyId: null }, 400, 'holderAgencyId'],
    ['no successor field', 'PUT', 'responsibility', () => t.coordinator, { holderAgencyId: 'kvv-gbg' }, 400, 'successorAgencyId'],
    ['intervention without requiredBeforeRelease', 'POST', 'interventions', () => t.coordinator, { area: 'boende', title: 'x' }, 400, 'requiredBeforeRelease'],
    ['intervention with an unknown area', 'POST', 'interventions', () => t.coordinator, { area: 'rymd', title: 'x', requiredBeforeRelease: true }, 400, 'area'],
    ['intervention with a blank title', 'POST', 'interventions', () => t.coordinator, { area: 'boende', title: ' ', requiredBeforeRelease: true }, 400, 'title'],
    ['intervention for an unknown agency', 'POST', 'interventions', () => t.coordinator, { area: 'boende', title: 'x', requiredBeforeRelease: true, agencyId: 'ghost-agency' }, 400, 'agencyId'],
    ['intervention for an agency without consent', 'POST', 'interventions', () => t.coordinator, { area: 'boende', title: 'x', requiredBeforeRelease: true, agencyId: OUTSIDER_AGENCY }, 409, undefined],
    ['intervention due at no time', 'POST', 'interventions', () => t.coordinator, { area: 'boende', title: 'x', requiredBeforeRelease: true, dueAt: 'fredag' }, 400, 'dueAt'],
    ['decline without a reason', 'POST', 'interventions/i1/decline', () => t.coordinator, {}, 400, 'reason'],
    ['waive with a blank reason', 'POST', 'interventions/i1/waive', () => t.coordinator, { reason: '  ' }, 400, 'reason'],
    ['reassign to an unknown agency', 'POST', 'interventions/i1/reassign', () => t.coordinator, { agencyId: 'ghost-agency' }, 400, 'agencyId'],
    ['reassign to an agency without consent', 'POST', 'interventions/i1/reassign', () => t.coordinator, { agencyId: OUTSIDER_AGENCY }, 409, undefined],
    ['waive an intervention that does not exist', 'POST', 'interventions/i99/waive', () => t.coordinator, { reason: 'x' }, 404, undefined],
    ['a note too long', 'POST', 'interventions/i1/accept', () => t.social, { note: 'x'.repeat(2001) }, 400, 'note'],
    ['a note that is not text', 'POST', 'interventions/i1/complete', () => t.social, { note: 42 }, 400, 'note'],
    ['a note with an unpaired surrogate', 'POST', 'interventions/i1/complete', () => t.social, { note: 'Klar \ud800' }, 400, 'note'],
  ];

  const titled = coordinatorCells.map((c) => [`${c[0]}: ${c[1]} …/${c[2]} → ${c[5]}${c[6] ? ` ${c[6]}` : ''}`, c] as const);
  test.each(titled)('%s', async (_title, [, method, tail, token, body, status, path]) => {
    const r = await call(method, `/v1/cases/${caseId}/${tail}`, { token: token(), body });
    expectProblem(r, status, path);
    await expectUnchanged();
  });

  test('completing a completed intervention → 409, and so is every other action on it', async () => {
    const done = await call('POST', `/v1/cases/${caseId}/interventions/i1/complete`, { token: t.social, body: { note: 'Kontrakt klart' } });
    expect(done.status).toBe(200);
    await settle(s.pool, caseId);
    pristine = await snapshot(s.pool, caseId);
    events = (await call('GET', `/v1/cases/${caseId}/events`, { token: t.coordinator })).body;
    const again: [string, string, unknown][] = [
      ['complete', t.social, { note: 'igen' }],
      ['complete', t.social, {}],
      ['accept', t.social, {}],
      ['decline', t.social, { reason: 'x' }],
      ['decline', t.coordinator, { reason: 'x' }],
      ['waive', t.coordinator, { reason: 'x' }],
      ['reassign', t.coordinator, { agencyId: 'reg-vg' }],
    ];
    for (const [action, token, body] of again) {
      const r = await call('POST', `/v1/cases/${caseId}/interventions/i1/${action}`, { token, body });
      expect({ action, status: r.status }).toEqual({ action, status: 409 });
      expectProblem(r, 409);
      await expectUnchanged();
    }
  });

  test('a released client: no way back to anstalt or utslussning, no new release date', async () => {
    const c = await openCase(ctx(), t.coordinator, { client: client(), allowSecondCase: true });
    expect((await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: t.coordinator, body: { to: 'frigiven' } })).status).toBe(200);
    await settle(s.pool, c.caseId);
    const before = await snapshot(s.pool, c.caseId);
    const refused: [string, string, unknown][] = [
      ['POST', 'transitions', { to: 'anstalt' }],
      ['POST', 'transitions', { to: 'utslussning', measure: 'frigang' }],
      ['POST', 'transitions', { to: 'frigiven' }],
      ['PUT', 'release-date', { expectedReleaseAt: inDays(50), reason: 'x' }],
      ['PUT', 'sentence', { length: 'P2Y', startsAt: inDays(-1), judgmentAt: inDays(-5) }],
    ];
    for (const [method, tail, body] of refused) {
      const r = await call(method, `/v1/cases/${c.caseId}/${tail}`, { token: t.coordinator, body });
      expectProblem(r, 409);
    }
    expect(await snapshot(s.pool, c.caseId)).toEqual(before);
  });

  test('a closed case takes no more commands (409)', async () => {
    const c = await openCase(ctx(), t.coordinator, { client: client(), allowSecondCase: true });
    expect((await call('POST', `/v1/cases/${c.caseId}/transitions`, { token: t.coordinator, body: { to: 'avslutad', reason: 'Överförd' } })).status).toBe(200);
    await settle(s.pool, c.caseId);
    const before = await snapshot(s.pool, c.caseId);
    for (const [method, tail, body] of [
      ['POST', 'transitions', { to: 'hakte' }],
      ['PUT', 'needs', { needs: [] }],
      ['PUT', 'consent', { agencyIds: [] }],
      ['POST', 'interventions', { area: 'boende', title: 'x', requiredBeforeRelease: false }],
    ] as const) {
      const r = await call(method, `/v1/cases/${c.caseId}/${tail}`, { token: t.coordinator, body });
      expectProblem(r, 409);
    }
    expect(await snapshot(s.pool, c.caseId)).toEqual(before);
  });
});

describe('the personal identity number stays out of errors and logs', () => {
  test('sent where it does not belong: path, query, unknown fields, wrong fields', async () => {
    const probes: [string, string, unknown?][] = [
      ['GET', `/v1/cases/${PIN}`],
      ['GET', `/v1/cases/${PIN}/events`],
      ['GET', `/v1/cases?phase=${PIN}`],
      ['GET', `/v1/cases?releaseWithinDays=${PIN}`],
      ['POST', `/v1/cases/${PIN}/transitions`, { to: 'frigiven' }],
      ['POST', '/v1/cases', { ...caseBody({ client: client() }), riskLevel: PIN }],
      ['POST', '/v1/cases', { ...caseBody({ client: client() }), phase: BAD_PIN }],
      ['POST', '/v1/cases', { ...caseBody({ client: client({ municipality: PIN }) }) }],
      ['POST', '/v1/cases', { ...caseBody({ client: client() }), consent: { agencyIds: [PIN] } }],
      ['POST', '/v1/cases', { ...caseBody({ client: client() }), needs: [BAD_PIN] }],
      ['POST', '/v1/cases', `{"client": {"personalIdentityNumber": "${PIN}"`],
    ];
    for (const [method, path, body] of probes) {
      const r = await call(method, path, { token: t.coordinator, ...(body !== undefined ? { body } : {}) });
      expect({ path: path.replace(/\d{6,}/, '…'), status: r.status }).toEqual({ path: path.replace(/\d{6,}/, '…'), status: expect.any(Number) });
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
    }
  });

});

// Declared last, so it runs after every other request of this file.
test('no error response and no log line of the API holds the number', () => {
  {
    const errors = responses.filter((r) => r.status >= 400);
    expect(errors.length).toBeGreaterThan(50);
    for (const r of errors) {
      for (const secret of SECRETS) expect(r.text).not.toContain(secret);
    }
    expect(logs.lines.length).toBeGreaterThan(responses.length);
    expect(logs.text).toContain('request completed');
    for (const secret of SECRETS) expect(logs.text).not.toContain(secret);
  }
});
