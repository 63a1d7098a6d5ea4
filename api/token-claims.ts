import type { Env } from '../config/env';

/** The names of the claims that carry role, agency and display name (AUTH_*_CLAIM). */
export interface ClaimNames {
  role: string;
  agencyId: string;
  name: string;
}

export const claimNamesOf = (env: Pick<Env, 'AUTH_ROLE_CLAIM' | 'AUTH_AGENCY_CLAIM' | 'AUTH_NAME_CLAIM'>): ClaimNames => ({
  role: env.AUTH_ROLE_CLAIM,
  agencyId: env.AUTH_AGENCY_CLAIM,
  name: env.AUTH_NAME_CLAIM,
});

/**
 * A token's payload renamed to the claims the principal schema reads (`sub`, `role`, `agencyId`,
 * `name`). Only the configured names are read: with AUTH_ROLE_CLAIM=groups a stray `role` claim
 * from some other mapper must not decide the caller's role.
 */
export function principalFields(payload: Record<string, unknown>, names: ClaimNames): Record<string, unknown> {
  const out: Record<string, unknown> = { sub: payload.sub };
  if (payload[names.role] !== undefined) out.role = payload[names.role];
  if (payload[names.agencyId] !== undefined) out.agencyId = payload[names.agencyId];
  if (payload[names.name] !== undefined) out.name = payload[names.name];
  return out;
}
