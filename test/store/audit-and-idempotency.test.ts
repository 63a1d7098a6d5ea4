import type { Pool } from 'pg';
import { recordRead } from '../../store/audit-log';
import { findIdempotentResponse, purgeIdempotencyKeys, saveIdempotentResponse } from '../../store/idempotency';
import { createTestDatabase } from '../../dev/database';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Pool;

beforeAll(async () => {
  db = await createTestDatabase({ migrated: true });
  pool = db.pool;
});
afterAll(() => db.drop());

describe('recordRead', () => {
  it('records who read what, with the optional fields left empty when not given', async () => {
    await recordRead(pool, {
      userId: 'u-1',
      role: 'caseworker',
      agencyId: 'agency-1',
      caseId: 'case-1',
      route: '/cases/:caseId',
      method: 'get',
      status: 200,
    });
    await recordRead(pool, { userId: 'u-2', role: 'supervisor', route: '/alerts', method: 'GET', status: 403 });
    const rows = await pool.query(
      'SELECT user_id, role, agency_id, case_id, route, method, status, at <= now() AS past FROM audit_reads ORDER BY id',
    );
    expect(rows.rows).toEqual([
      { user_id: 'u-1', role: 'caseworker', agency_id: 'agency-1', case_id: 'case-1', route: '/cases/:caseId', method: 'GET', status: 200, past: true },
      { user_id: 'u-2', role: 'supervisor', agency_id: null, case_id: null, route: '/alerts', method: 'GET', status: 403, past: true },
    ]);
  });
});

describe('idempotency keys', () => {
  it('saves a response once per (key, user) and hands back the first one to later savers', async () => {
    expect(await findIdempotentResponse(pool, 'k-1', 'u-1')).toBeNull();
    const first = await saveIdempotentResponse(pool, {
      key: 'k-1',
      userId: 'u-1',
      requestHash: 'h-1',
      status: 201,
      response: { caseId: 'c-1', version: 1 },
    });
    expect(first.saved).toBe(true);
    expect(first.stored).toMatchObject({ key: 'k-1', userId: 'u-1', requestHash: 'h-1', status: 201, response: { caseId: 'c-1', version: 1 } });

    const second = await saveIdempotentResponse(pool, { key: 'k-1', userId: 'u-1', requestHash: 'h-2', status: 500, response: {} });
    expect(second).toEqual({ saved: false, stored: first.stored });
    expect(await findIdempotentResponse(pool, 'k-1', 'u-1')).toEqual(first.stored);

    // The same key from another user is a different entry.
    expect(await findIdempotentResponse(pool, 'k-1', 'u-2')).toBeNull();
    expect((await saveIdempotentResponse(pool, { key: 'k-1', userId: 'u-2', requestHash: 'h', status: 200, response: null })).saved).toBe(true);
  });

  it('lets exactly one of several concurrent savers win', async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        saveIdempotentResponse(pool, { key: 'k-race', userId: 'u-1', requestHash: `h-${i}`, status: 200, response: { i } }),
      ),
    );
    expect(results.filter((r) => r.saved)).toHaveLength(1);
    expect(new Set(results.map((r) => r.stored.requestHash)).size).toBe(1);
  });

  it('purges keys older than a cut-off', async () => {
    await saveIdempotentResponse(pool, { key: 'k-old', userId: 'u-9', requestHash: 'h', status: 200, response: {} });
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await purgeIdempotencyKeys(pool, future)).toBeGreaterThanOrEqual(1);
    expect(await findIdempotentResponse(pool, 'k-old', 'u-9')).toBeNull();
  });
});
