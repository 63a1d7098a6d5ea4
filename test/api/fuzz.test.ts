import fc from 'fast-check';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';
import {
  caller, DAY_MS, openCase, settle, snapshot, tableCounts, tokensFor, validPin, type Call, type Response, type Tokens,
} from './support';

/**
 * Generated request bodies, valid-ish and malformed (wrong types, missing and extra fields,
 * huge strings, any unicode, not JSON at all), for every planning and intervention command:
 * never a 5xx, and a request that is not a 2xx leaves the event log and every read model as
 * they were. About 200 requests in all; a failure prints fast-check's seed and counterexample.
 */

let s: ApiTestStack;
let call: Call;
let t: Tokens;
const ctx = () => ({ call, pool: s.pool });

/**
 * Generated times are whole days from an hour ago, so that every deadline the rules derive from
 * them (days, months) lies in the past or hours ahead: no timer fires while the file runs, and
 * whatever is due is recorded before the next request (see `settle`).
 */
const T0 = Date.now() - 3_600_000;
const day = (min: number, max: number) => fc.integer({ min, max }).map((d) => new Date(T0 + d * DAY_MS).toISOString());

const PHASES = ['hakte', 'anstalt', 'utslussning', 'frigiven', 'avslutad'];
const MEASURES = ['frigang', 'utokad_frigang', 'halvvagshus', 'vardvistelse'];
const AREAS = ['boende', 'missbruk', 'psykisk_halsa', 'somatisk_halsa', 'sysselsattning', 'forsorjning', 'skulder',
  'utbildning', 'familj', 'natverk', 'kriminella_attityder', 'skydd', 'id_handlingar', 'annat'];
const AGENCIES = ['kvv-gbg', 'sot-1480', 'reg-vg', 'af', 'frv-gbg', 'sot-1401', 'ghost-agency', 'no spaces!', ''];

/** Text of every kind: any code point (lone surrogates too), NUL, emoji, markup, huge. */
const text: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '😀👩‍👩‍👧', 'Örjan Åström', "'; DROP TABLE events; --", '<script>alert(1)</script>', '%00', '../../etc/passwd') },
  { weight: 1, arbitrary: fc.integer({ min: 201, max: 120_000 }).map((n) => 'å'.repeat(n)) },
);
const instant: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: day(-400, 400) },
  { weight: 1, arbitrary: day(-400, 400).map((iso) => iso.replace('.000Z', '+00:00')) },
  { weight: 2, arbitrary: fc.constantFrom('0000-01-01T00:00:00Z', '9999-12-31T23:59:59-14:00', '1899-12-31T23:59:59Z', '2027-02-30T08:00:00Z',
    '2027-03-01', '2027-03-01T08:00:00', 'tomorrow', '', '2027-13-01T00:00:00Z', '+275760-09-13T00:00:00Z') },
  { weight: 1, arbitrary: text },
);
const agencyId = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...AGENCIES) }, { weight: 1, arbitrary: text });
const pin = fc.oneof(
  fc.tuple(fc.date({ min: new Date('1930-01-01'), max: new Date('2008-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
    .map(([d, n]) => validPin(d.toISOString().slice(0, 10).replace(/-/g, ''), String(n).padStart(3, '0'))),
  fc.stringMatching(/^\d{8}-?\d{4}$/),
  text,
);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined, freq: 3 });
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** Almost valid bodies, route by route. */
const valid = {
  openCase: fc.record({
    client: fc.record({
      name: fc.oneof({ weight: 4, arbitrary: fc.constantFrom('Klient Ett', 'Åsa Öberg') }, { weight: 1, arbitrary: text }),
      municipality: fc.constantFrom('1480', '1401', '0180', '148', 'abcd'),
      personalIdentityNumber: maybe(pin),
    }).map(defined),
    phase: fc.constantFrom(...PHASES, 'fängelse'),
    measure: maybe(fc.constantFrom(...MEASURES, 'rymning')),
    admittedAt: day(-400, 0),
    expectedReleaseAt: maybe(day(-10, 400)),
    riskLevel: fc.constantFrom('low', 'medium', 'high', 'extreme'),
    needs: fc.subarray(AREAS, { maxLength: 5 }),
    consent: fc.record({ agencyIds: fc.subarray(AGENCIES.slice(0, 6), { minLength: 1 }) }),
    responsibility: maybe(fc.record({ holderAgencyId: maybe(agencyId), successorAgencyId: maybe(agencyId) }).map(defined)),
    policyId: maybe(fc.constantFrom('default', 'default', 'no-such-policy')),
  }).map(defined),
  transition: fc.record({
    to: fc.constantFrom(...PHASES, 'rymd'),
    at: maybe(day(-30, 2)),
    measure: maybe(fc.constantFrom(...MEASURES)),
    reason: maybe(text),
  }).map(defined),
  releaseDate: fc.record({ expectedReleaseAt: instant, reason: text }),
  needs: fc.record({ needs: fc.oneof(fc.subarray(AREAS, { maxLength: 6 }), fc.array(fc.constantFrom(...AREAS, 'rymd'), { maxLength: 4 })) }),
  consent: fc.record({ agencyIds: fc.oneof(fc.subarray(AGENCIES.slice(0, 6)), fc.array(agencyId, { maxLength: 4 })) }),
  responsibility: fc.record({ holderAgencyId: fc.option(agencyId, { nil: null }), successorAgencyId: fc.option(agencyId, { nil: null }) }),
  intervention: fc.record({
    area: fc.constantFrom(...AREAS, 'rymd'),
    title: fc.oneof(fc.constantFrom('Bostad', 'Körkort'), text),
    agencyId: maybe(agencyId),
    requiredBeforeRelease: fc.boolean(),
    dueAt: maybe(instant),
  }).map(defined),
  note: fc.record({ note: maybe(text) }).map(defined),
  reason: fc.record({ reason: text }),
  reassign: fc.record({ agencyId }),
};

type Path = (string | number)[];
type Body = { json: unknown } | { raw: string };

/** Every path into a JSON value (not the root). */
function pathsOf(v: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => [[...prefix, i], ...pathsOf(x, [...prefix, i])]);
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => [[...prefix, k], ...pathsOf(x, [...prefix, k])]);
  return [];
}
function edit(v: unknown, path: Path, f: (parent: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let node = copy;
  for (const k of path.slice(0, -1)) node = node[k] as Record<string | number, unknown>;
  f(node, path[path.length - 1]!);
  return copy;
}

const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null), fc.boolean(), fc.integer(), fc.double(), fc.constant(-0), text,
  fc.array(text, { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);
const notJson = fc.oneof(
  fc.constantFrom('', '{', '{"a":', '[1,2', 'null null', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'NaN', "{'a':1}", '\u0000'),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
/** A body for a route: valid, one field of the wrong type, one missing, an extra one, the wrong shape altogether, not JSON. */
function bodies(v: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Body> {
  const wrongType = v.chain((b) => {
    const ps = pathsOf(b);
    return ps.length === 0 ? fc.constant(b) : fc.tuple(fc.constantFrom(...ps), junk).map(([p, j]) => edit(b, p, (o, k) => void (o[k] = j)));
  });
  const missing = v.chain((b) => {
    const ps = pathsOf(b);
    return ps.length === 0 ? fc.constant(b) : fc.constantFrom(...ps).map((p) => edit(b, p, (o, k) => void delete o[k]));
  });
  const extra = fc.tuple(v, fc.string({ maxLength: 20 }), junk).map(([b, k, j]) => ({ ...b, [k]: j }));
  return fc.oneof(
    { weight: 4, arbitrary: v.map((json) => ({ json })) },
    { weight: 3, arbitrary: wrongType.map((json) => ({ json })) },
    { weight: 2, arbitrary: missing.map((json) => ({ json })) },
    { weight: 1, arbitrary: extra.map((json) => ({ json })) },
    { weight: 1, arbitrary: junk.map((json) => ({ json })) },
    { weight: 1, arbitrary: notJson.map((raw) => ({ raw })) },
    { weight: 1, arbitrary: fc.constant({ json: { huge: 'x'.repeat(1_100_000) } }) },
  );
}

/** The case each route family works on; a new one once a command has closed or released it. */
const current = new Map<string, string>();
async function caseFor(family: string): Promise<string> {
  let caseId = current.get(family);
  if (!caseId) {
    caseId = (await openCase(ctx(), t.coordinator)).caseId as string;
    current.set(family, caseId);
  }
  return caseId;
}

const responses: { route: string; status: number }[] = [];

/**
 * Sends one generated request and checks the properties: no 5xx; a problem+json for every
 * error; and after anything but a 2xx, the case's log and read models and every table's row
 * count are exactly as before.
 */
async function probe(route: string, method: string, path: string, token: string, body: Body, caseId?: string): Promise<Response> {
  const t0 = Date.now();
  const [before, countsBefore] = await Promise.all([caseId ? snapshot(s.pool, caseId) : undefined, tableCounts(s.pool)]);
  const r = await call(method, path, {
    token,
    body: 'raw' in body ? body.raw : JSON.stringify(body.json),
    headers: { 'content-type': 'application/json' },
  });
  responses.push({ route, status: r.status });
  if (process.env.FUZZ_TRACE) console.log(route, r.status, Date.now() - t0, JSON.stringify(body).length);
  expect({ route, status: r.status < 500 ? 'not 5xx' : r.status, body: r.status < 500 ? undefined : r.body }).toEqual({ route, status: 'not 5xx', body: undefined });
  if (r.status >= 200 && r.status < 300) {
    const changed = (r.body?.caseId as string | undefined) ?? caseId;
    if (changed) await settle(s.pool, changed);
    return r;
  }
  expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(r.body.status).toBe(r.status);
  const [after, countsAfter] = await Promise.all([caseId ? snapshot(s.pool, caseId) : undefined, tableCounts(s.pool)]);
  expect(countsAfter).toEqual(countsBefore);
  expect(after).toEqual(before);
  return r;
}

/** A command on the family's case; a new case next time if this one closed (or left prison). */
async function command(family: string, method: string, tail: string, token: string, body: Body, keepReleased = false) {
  const caseId = await caseFor(family);
  const r = await probe(`${method} /v1/cases/{id}/${tail.replace(/^interventions\/[^/]*/, 'interventions/{i}')}`, method, `/v1/cases/${caseId}/${tail}`, token, body, caseId);
  const phase = r.status < 300 ? (r.body?.phase as string | undefined) : undefined;
  if (phase === 'avslutad' || (phase === 'frigiven' && !keepReleased)) current.delete(family);
}

/**
 * A fixed seed by default: the coverage check below (every kind of answer seen) then asks the
 * same thing of every run instead of failing the one run in many whose random draw produced no
 * 409. `FUZZ_SEED=<n>` explores other draws; a failure prints the seed to rerun it with.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const params = (numRuns: number) => ({ numRuns, endOnFailure: true, seed: SEED });

beforeAll(async () => {
  s = await startApiTestStack();
  call = caller(s.api.url);
  t = await tokensFor(s);
});
afterAll(async () => {
  await s?.close();
});

test('POST /v1/cases', async () => {
  await fc.assert(fc.asyncProperty(bodies(valid.openCase), async (body) => {
    await probe('POST /v1/cases', 'POST', '/v1/cases', t.coordinator, body);
  }), params(40));
});

test('transitions', async () => {
  await fc.assert(fc.asyncProperty(bodies(valid.transition), async (body) => {
    await command('transitions', 'POST', 'transitions', t.coordinator, body, true);
  }), params(25));
});

test('release date, needs, consent, responsibility', async () => {
  const planning = fc.oneof(
    bodies(valid.releaseDate).map((b) => ['PUT', 'release-date', b] as const),
    bodies(valid.needs).map((b) => ['PUT', 'needs', b] as const),
    bodies(valid.consent).map((b) => ['PUT', 'consent', b] as const),
    bodies(valid.responsibility).map((b) => ['PUT', 'responsibility', b] as const),
  );
  await fc.assert(fc.asyncProperty(planning, async ([method, tail, body]) => {
    await command(tail, method, tail, t.coordinator, body);
  }), params(70));
});

test('interventions and their actions', async () => {
  const interventionId = fc.oneof({ weight: 6, arbitrary: fc.constantFrom('i1', 'i2', 'i3', 'i4') }, { weight: 1, arbitrary: fc.constantFrom('i99', 'x', '%F0%9F%98%80', 'i1%00') });
  const who = fc.constantFrom<keyof Tokens>('coordinator', 'social', 'region', 'work', 'outsider', 'socialBoss');
  const request = fc.oneof(
    { weight: 2, arbitrary: bodies(valid.intervention).map((b) => ({ tail: 'interventions', body: b, as: 'coordinator' as keyof Tokens })) },
    ...(['accept', 'complete'] as const).map((action) => ({
      weight: 1,
      arbitrary: fc.record({ id: interventionId, body: bodies(valid.note), as: who }).map((x) => ({ tail: `interventions/${x.id}/${action}`, body: x.body, as: x.as })),
    })),
    ...(['decline', 'waive'] as const).map((action) => ({
      weight: 1,
      arbitrary: fc.record({ id: interventionId, body: bodies(valid.reason), as: who }).map((x) => ({ tail: `interventions/${x.id}/${action}`, body: x.body, as: x.as })),
    })),
    {
      weight: 1,
      arbitrary: fc.record({ id: interventionId, body: bodies(valid.reassign), as: who }).map((x) => ({ tail: `interventions/${x.id}/reassign`, body: x.body, as: x.as })),
    },
  );
  await fc.assert(fc.asyncProperty(request, async ({ tail, body, as }) => {
    await command('interventions', 'POST', tail, t[as], body);
  }), params(65));
});

test('the generated requests covered success and failure on every route', () => {
  const routes = new Set(responses.map((r) => r.route));
  expect(routes.size).toBeGreaterThanOrEqual(9);
  expect(responses.length).toBeGreaterThanOrEqual(180);
  expect(responses.some((r) => r.status < 300)).toBe(true);
  for (const status of [400, 404, 409, 413]) expect(responses.map((r) => r.status)).toContain(status);
  expect(responses.every((r) => r.status < 500)).toBe(true);
});
