import { defaultPolicyBody, defaultPolicyDescription, policyBodySchema, type PinnedPolicy, type PolicyBody } from '../domain/schemas/policy';
import { forecastPolicyOf, type ForecastPolicy } from '../domain/forecast';
import type { Queryable } from './event-store';

export const DEFAULT_POLICY_ID = 'default';

/**
 * Publishes a policy body: a changed body becomes a new immutable version, an identical one
 * returns the current version. Serialised per policy id by a row lock on the latest version.
 */
export async function publishPolicy(db: Queryable, policyId: string, body: PolicyBody): Promise<{ policyId: string; version: number }> {
  const r = await db.query<{ version: number }>(
    `WITH latest AS (
       SELECT version, body FROM policies WHERE policy_id = $1 ORDER BY version DESC LIMIT 1
     ), inserted AS (
       INSERT INTO policies (policy_id, version, body)
       SELECT $1, coalesce((SELECT version FROM latest), 0) + 1, $2::jsonb
        WHERE NOT EXISTS (SELECT 1 FROM latest WHERE body = $2::jsonb)
       ON CONFLICT (policy_id, version) DO NOTHING
       RETURNING version
     )
     SELECT version FROM inserted UNION ALL SELECT version FROM latest WHERE body = $2::jsonb`,
    [policyId, JSON.stringify(body)],
  );
  const version = r.rows[0]?.version;
  if (version === undefined) throw new Error('policy version conflict; retry');
  return { policyId, version };
}

export async function latestPolicy(db: Queryable, policyId: string): Promise<PinnedPolicy | null> {
  const r = await db.query<{ version: number; body: unknown }>(
    'SELECT version, body FROM policies WHERE policy_id = $1 ORDER BY version DESC LIMIT 1',
    [policyId],
  );
  const row = r.rows[0];
  return row ? { policyId, version: row.version, body: policyBodySchema.parse(row.body) } : null;
}

/** "A policy `default` always exists": published at start-up unless one is there already. */
export async function ensureDefaultPolicy(db: Queryable): Promise<void> {
  if (!(await latestPolicy(db, DEFAULT_POLICY_ID))) {
    await publishPolicy(db, DEFAULT_POLICY_ID, { ...defaultPolicyBody, description: defaultPolicyDescription });
  }
}

export interface PolicySummary { policyId: string; version: number; description?: string }

/** Every policy's latest version, by id: what a new case can be opened under. */
export async function listPolicies(db: Queryable): Promise<PolicySummary[]> {
  const r = await db.query<{ policy_id: string; version: number; description: string | null }>(
    `SELECT DISTINCT ON (policy_id) policy_id, version, body->>'description' AS description
       FROM policies ORDER BY policy_id, version DESC`,
  );
  return r.rows.map((x) => ({ policyId: x.policy_id, version: x.version, ...(x.description ? { description: x.description } : {}) }));
}

/**
 * The forecast settings of the `default` policy as published now, or the product's own where it
 * has none: what views of lead times across all cases use (a case's own forecast uses its pin).
 */
export async function productForecastPolicy(db: Queryable): Promise<ForecastPolicy> {
  return forecastPolicyOf((await latestPolicy(db, 'default'))?.body.forecast);
}
