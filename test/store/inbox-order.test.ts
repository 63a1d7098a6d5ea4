import { listTasks, type TaskFilter } from '../../store/read-models';
import { createTestDatabase } from '../../dev/database';
import { generateLog, GENERATOR_DIRECTORY } from '../support/generate-log';

/*
 * The inbox order — overdue first, then by deadline, undated last, ties by task id — checked
 * against a plain reading of the read model, for every agency and filter. listTasks takes a
 * different query path for the open filters (read off an index in deadline order), so both
 * paths must agree with the same rule.
 */

let db: Awaited<ReturnType<typeof createTestDatabase>>;

/** `due_us`: the deadline in microseconds, as PostgreSQL keeps it; `id_rank`: the task id's place in the database's collation. */
interface Row { task_id: string; agency_id: string | null; status: string; due_us: string | null; id_rank: string; consent: string[] }

const OPEN = ['planned', 'accepted', 'open', 'missed'];
const DONE = ['completed', 'declined', 'waived'];
const STATUSES: Record<TaskFilter, string[]> = { open: OPEN, overdue: OPEN, done: DONE, all: [...OPEN, ...DONE, 'cancelled'] };

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  // Cases opened over the last two weeks: many tasks still open, deadlines ahead.
  await generateLog(db.pool, { cases: 200, targetEvents: 2_500, seed: 11, start: new Date(Date.now() - 14 * 86_400_000).toISOString(), days: 14, openOverDays: 14 });
  // Then every kind of open task the order tells apart: overdue (a third, with equal deadlines
  // among them to exercise the tie-break), undated (a sixth) and due later (the rest).
  await db.pool.query(
    `WITH open AS (SELECT task_id, row_number() OVER (ORDER BY md5(task_id)) AS n FROM tasks WHERE status = ANY($1))
     UPDATE tasks t SET due_at = CASE WHEN o.n % 6 IN (0, 1) THEN now() - make_interval(hours => (o.n % 4)::int + 1)
                                      WHEN o.n % 6 = 2 THEN NULL ELSE greatest(t.due_at, now() + interval '1 day') END
       FROM open o WHERE o.task_id = t.task_id`,
    [OPEN],
  );
}, 180_000);

afterAll(async () => {
  await db?.drop();
});

const due = (r: Row) => (r.due_us === null ? null : BigInt(r.due_us));
const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

function expected(rows: Row[], agencyId: string, filter: TaskFilter, nowUs: bigint): string[] {
  const overdue = (r: Row) => OPEN.includes(r.status) && r.due_us !== null && due(r)! <= nowUs;
  return rows
    .filter((r) => r.agency_id === agencyId && STATUSES[filter].includes(r.status) && r.consent.includes(agencyId))
    .filter((r) => filter !== 'overdue' || overdue(r))
    .sort((a, b) =>
      Number(overdue(b)) - Number(overdue(a)) ||
      (a.due_us === null ? 1 : 0) - (b.due_us === null ? 1 : 0) ||
      cmp(due(a) ?? 0n, due(b) ?? 0n) ||
      cmp(BigInt(a.id_rank), BigInt(b.id_rank)))
    .map((r) => r.task_id);
}

test('every agency and filter: overdue first, then by deadline, undated last', async () => {
  const { rows } = await db.pool.query<Row>(
    `SELECT t.task_id, t.agency_id, t.status, (extract(epoch FROM t.due_at) * 1000000)::bigint::text AS due_us,
            rank() OVER (ORDER BY t.task_id)::text AS id_rank, s.consent_agency_ids AS consent
       FROM tasks t JOIN case_summaries s USING (case_id)`,
  );
  const nowUs = BigInt(Date.now()) * 1000n;
  const open = rows.filter((r) => OPEN.includes(r.status));
  // The fixture covers every kind of row the order distinguishes.
  expect(open.some((r) => r.due_us !== null && due(r)! <= nowUs)).toBe(true);
  expect(open.some((r) => r.due_us !== null && due(r)! > nowUs)).toBe(true);
  expect(open.some((r) => r.due_us === null)).toBe(true);
  expect(rows.some((r) => DONE.includes(r.status))).toBe(true);

  let compared = 0;
  for (const agency of GENERATOR_DIRECTORY) {
    for (const filter of ['open', 'overdue', 'done', 'all'] as const) {
      const listed = (await listTasks(db.pool, agency.agencyId, filter, 10_000)).map((t) => t.taskId);
      expect({ agency: agency.agencyId, filter, listed }).toEqual({ agency: agency.agencyId, filter, listed: expected(rows, agency.agencyId, filter, nowUs) });
      compared += listed.length;
    }
  }
  expect(compared).toBeGreaterThan(100);
});

test('a page is the head of the full order', async () => {
  const agencyId = 'sot-1480';
  const all = (await listTasks(db.pool, agencyId, 'open', 10_000)).map((t) => t.taskId);
  const page = (await listTasks(db.pool, agencyId, 'open', 7)).map((t) => t.taskId);
  expect(all.length).toBeGreaterThan(7);
  expect(page).toEqual(all.slice(0, 7));
});
