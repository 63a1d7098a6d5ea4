import type { Agency } from './schemas/agency';
import type { AgencyType } from './schemas/vocabulary';

// Without zod on purpose: the workflow loads this module (see workflows/legacy-command-schema.ts).

export type Resolution = { agencyId: string } | { agencyId: null; why: 'none' | 'ambiguous' | 'no_consent' };

/**
 * The agency of a type that serves a municipality and may receive information under the
 * client's consent. A unit serving that municipality by name beats a nation-wide one; a tie
 * is not guessed at, it is left unassigned for the coordinator to settle.
 */
export function resolveAgency(
  directory: readonly Agency[],
  type: AgencyType,
  municipality: string,
  consentedAgencyIds: readonly string[],
): Resolution {
  const ofType = directory.filter((a) => a.type === type);
  const local = ofType.filter((a) => a.municipalities.includes(municipality));
  const national = ofType.filter((a) => a.municipalities.includes('*'));
  const serving = local.length > 0 ? local : national;
  if (serving.length === 0) return { agencyId: null, why: 'none' };
  const consented = serving.filter((a) => consentedAgencyIds.includes(a.agencyId));
  if (consented.length === 1) return { agencyId: consented[0]!.agencyId };
  if (consented.length > 1) return { agencyId: null, why: 'ambiguous' };
  // A local unit without consent must not silently lose to a national one with it.
  if (local.length > 0 && national.length > 0) {
    const nationalConsented = national.filter((a) => consentedAgencyIds.includes(a.agencyId));
    if (nationalConsented.length === 1) return { agencyId: nationalConsented[0]!.agencyId };
  }
  return { agencyId: null, why: 'no_consent' };
}
