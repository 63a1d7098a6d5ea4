import type { Agency, AgencyEntry } from '../domain/schemas/agency';
import type { Queryable } from './event-store';

export async function upsertAgency(db: Queryable, a: AgencyEntry): Promise<AgencyEntry> {
  await db.query(
    `INSERT INTO agencies (agency_id, type, name, municipalities, contact, updated_at) VALUES ($1, $2, $3, $4, $5, now())
     ON CONFLICT (agency_id) DO UPDATE SET type = EXCLUDED.type, name = EXCLUDED.name,
       municipalities = EXCLUDED.municipalities, contact = EXCLUDED.contact, updated_at = now()`,
    [a.agencyId, a.type, a.name, a.municipalities, a.contact ? JSON.stringify(a.contact) : null],
  );
  return a;
}

interface Row { agency_id: string; type: Agency['type']; name: string; municipalities: string[]; contact: AgencyEntry['contact'] | null }

const agencyOf = (x: Row): Agency => ({ agencyId: x.agency_id, type: x.type, name: x.name, municipalities: x.municipalities });

/** The directory as the rules use it (decide, the workflow): without contact details. */
export async function listAgencies(db: Queryable): Promise<Agency[]> {
  const r = await db.query<Row>('SELECT agency_id, type, name, municipalities, NULL AS contact FROM agencies ORDER BY agency_id');
  return r.rows.map(agencyOf);
}

/** The directory as people read it: each agency with how to reach it. */
export async function listAgencyEntries(db: Queryable): Promise<AgencyEntry[]> {
  const r = await db.query<Row>('SELECT agency_id, type, name, municipalities, contact FROM agencies ORDER BY agency_id');
  return r.rows.map((x) => ({ ...agencyOf(x), ...(x.contact ? { contact: x.contact } : {}) }));
}

export async function agencyExists(db: Queryable, agencyId: string): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM agencies WHERE agency_id = $1', [agencyId]);
  return (r.rowCount ?? 0) > 0;
}
