import { seedOpenCases } from '../../bench/seed';
import { startApiTestStack, type ApiTestStack } from '../../dev/api-stack';

/*
 * Cursor pagination of the lists: every item present when paging starts is returned exactly
 * once, also while new items are written between the pages; bad cursors and limits are 400s
 * naming the field; every page is audited with the cases it shows. Cases are seeded with the
 * domain's own events through appendToStream + projectEvents (bench/seed.ts): the lists read
 * the read models only, and a few hundred cases through Temporal would take minutes.
 */

let s: ApiTestStack;
let seeded = 0;
beforeAll(async () => {
  s = await startApiTestStack();
  await seedOpenCases(s.pool, 40, { prefix: 'page-a', quiet: true });
  // Some undated cases and tasks, so that pages also cross into the NULLS LAST tail of the orders.
  const undated = Array.from({ length: 9 }, (_, k) => `page-a-${k + 2}`);
  await s.pool.query('UPDATE case_summaries SET expected_release_at = NULL WHERE case_id = ANY($1)', [undated]);
  await s.pool.query('UPDATE tasks SET due_at = NULL WHERE case_id = ANY($1)', [undated]);
}, 120_000);
afterAll(async () => {
  await s?.close();
});

/** Seeds `n` more cases (5 tasks each, some alerts), as a concurrent writer would. */
const writeMore = async (n: number) => {
  seeded += 1;
  await seedOpenCases(s.pool, n, { prefix: `page-more-${seeded}`, quiet: true });
};

interface Page { items: Record<string, unknown>[]; nextCursor: string | null }

/** Follows nextCursor from the first page to the last, calling `between` after each page. */
async function allPages(path: string, token: string, between: () => Promise<void> = async () => undefined) {
  const items: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < 1000; n++) {
    const sep = path.includes('?') ? '&' : '?';
    const r = await s.call('GET', `${path}${cursor ? `${sep}cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    expect(r.status).toBe(200);
    const body = r.body as Page;
    items.push(...body.items);
    sizes.push(body.items.length);
    cursor = body.nextCursor;
    if (cursor === null) return { items, sizes };
    await between();
  }
  throw new Error('paging did not end');
}

function expectEachOnce(ids: string[], before: string[]) {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  expect([...counts].filter(([, n]) => n > 1)).toEqual([]);
  expect(before.filter((id) => !counts.has(id))).toEqual([]);
}

test('cases: every case listed at the start comes exactly once while cases are opened between pages', async () => {
  const token = await s.token({ sub: 'page-coord', role: 'coordinator', agencyId: 'kvv-gbg' });
  const before = (await allPages('/v1/cases?limit=200', token)).items.map((c) => c.caseId as string);
  expect(before.length).toBeGreaterThanOrEqual(40);
  const { items, sizes } = await allPages('/v1/cases?limit=7', token, () => writeMore(3));
  expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  expectEachOnce(items.map((c) => c.caseId as string), before);
  // Still in the list's order: expected release first, undated last, ties by id.
  const keys = items.map((c) => [c.expectedReleaseAt === null ? '~' : (c.expectedReleaseAt as string), c.caseId as string].join(' '));
  expect(keys).toEqual([...keys].sort());
  expect(items.filter((c) => c.expectedReleaseAt === null).length).toBeGreaterThanOrEqual(9);
  // Each page was logged as a read of exactly the cases it showed.
  const audited = await s.pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM audit_reads WHERE user_id = 'page-coord' AND route = '/v1/cases'`);
  expect(audited.rows[0]!.n).toBe(before.length + items.length);
}, 120_000);

test('the inbox: every task once, overdue first then by deadline, while tasks are added between pages', async () => {
  const token = await s.token({ sub: 'page-officer', role: 'agency', agencyId: 'sot-1480' });
  for (const status of ['open', 'all'] as const) {
    const before = (await allPages(`/v1/tasks?status=${status}&limit=200`, token)).items.map((t) => t.taskId as string);
    expect(before.length).toBeGreaterThan(40);
    const { items } = await allPages(`/v1/tasks?status=${status}&limit=11`, token, () => writeMore(2));
    expectEachOnce(items.map((t) => t.taskId as string), before);
    const overdue = items.map((t) => t.overdue as boolean);
    expect(overdue).toEqual([...overdue].sort((a, b) => Number(b) - Number(a)));
    // Undated tasks last (within their overdue group), pages having crossed into them.
    const undated = items.filter((t) => t.dueAt === null);
    expect(undated.length).toBeGreaterThanOrEqual(9 * 2);
    const lastGroup = items.filter((t) => !(t.overdue as boolean));
    expect(lastGroup.slice(lastGroup.length - undated.length).every((t) => t.dueAt === null)).toBe(true);
  }
}, 120_000);

test('alerts: every alert once while alerts are raised between pages', async () => {
  const busiest = await s.pool.query<{ agency_id: string; n: number }>(
    `SELECT agency_id, count(*)::int AS n FROM alerts WHERE status = 'open' GROUP BY agency_id ORDER BY n DESC LIMIT 1`);
  const agencyId = busiest.rows[0]!.agency_id;
  expect(busiest.rows[0]!.n).toBeGreaterThan(5);
  const token = await s.token({ sub: 'page-boss', role: 'supervisor', agencyId });
  const before = (await allPages('/v1/alerts?limit=200', token)).items.map((a) => a.alertId as string);
  const { items } = await allPages('/v1/alerts?limit=4', token, () => writeMore(2));
  expectEachOnce(items.map((a) => a.alertId as string), before);
  const levels = items.map((a) => a.level as number);
  expect(levels).toEqual([...levels].sort((a, b) => b - a));
}, 120_000);

test("a case's trail pages in version order, the pages together being the whole trail", async () => {
  const token = await s.token({ sub: 'page-coord', role: 'coordinator', agencyId: 'kvv-gbg' });
  const whole = await s.call('GET', '/v1/cases/page-a-1/events?limit=200', { token });
  expect(whole.status).toBe(200);
  expect(whole.body.nextCursor).toBeNull();
  expect(whole.body.items.length).toBeGreaterThan(2);
  const { items, sizes } = await allPages('/v1/cases/page-a-1/events?limit=1', token);
  expect(sizes.every((n) => n === 1)).toBe(true);
  expect(items).toEqual(whole.body.items);
});

test('a bad cursor or limit is a 400 naming the field; a cursor of another list is refused', async () => {
  const token = await s.token({ sub: 'page-coord', role: 'coordinator', agencyId: 'kvv-gbg' });
  const first = await s.call('GET', '/v1/cases?limit=1', { token });
  const casesCursor = first.body.nextCursor as string;
  expect(typeof casesCursor).toBe('string');
  const officer = await s.token({ sub: 'page-officer', role: 'agency', agencyId: 'sot-1480' });
  const refused = [
    ['/v1/cases?cursor=not-a-cursor', token, 'cursor'],
    ['/v1/cases?cursor=%25%25', token, 'cursor'],
    [`/v1/cases?cursor=${Buffer.from('{"l":"cases","k":[1,2,3]}').toString('base64url')}`, token, 'cursor'],
    [`/v1/tasks?cursor=${casesCursor}`, officer, 'cursor'],
    ['/v1/cases?limit=0', token, 'limit'],
    ['/v1/cases?limit=201', token, 'limit'],
    ['/v1/cases/page-a-1/events?cursor=abc', token, 'cursor'],
  ] as const;
  for (const [path, t, field] of refused) {
    const r = await s.call('GET', path, { token: t });
    expect({ path, status: r.status, fields: (r.body.errors as { path: string }[]).map((e) => e.path) }).toEqual({ path, status: 400, fields: [field] });
  }
  // Without a limit a page holds 50.
  const page = await s.call('GET', '/v1/tasks?status=all', { token: officer });
  expect(page.body.items).toHaveLength(50);
  expect(typeof page.body.nextCursor).toBe('string');
});
