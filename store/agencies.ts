import type { Agency } from '../domain/agency';
import type { Queryable } from './event-store';

export async function upsertAgency(db: Queryable, a: Agency): Promise<Agency> {
  await db.query(
    `INSERT INTO agencies (agency_id, type, name, municipalities, updated_at) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (agency_id) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name,
       municipalities = EXCLUDED.municipalities, updated_at = now()`,
    [a.agencyId, a.type, a.name, a.municipalities],
  );
  return a;
}

export async function listAgencies(db: Queryable): Promise<Agency[]> {
  const r = await db.query<{ agency_id: string; type: Agency['type']; name: string; municipalities: string[] }>(
    'SELECT agency_id, type, name, municipalities FROM agencies ORDER BY agency_id',
  );
  return r.rows.map((x) => ({ agencyId: x.agency_id, type: x.type, name: x.name, municipalities: x.municipalities }));
}
