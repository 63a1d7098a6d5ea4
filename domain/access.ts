import type { Person } from './schemas/actor';
import type { CaseState } from './case-state';

/**
 * Who may see a client follows the client's relation to the caller's agency and consent, never
 * role alone (offentlighets- och sekretesslagen; the SIP is voluntary). Pure: the API asks it
 * for every read and list, the case's rules for every command.
 */
export interface Relation {
  /** The agency coordinates the case (the opener's, until the case is transferred). */
  coordinating: boolean;
  /** The agency holds overall responsibility now. */
  holder: boolean;
  /** The agency takes over overall responsibility after release. */
  successor: boolean;
  /** The client's consent covers the agency. */
  consented: boolean;
}

export function relationOf(s: Pick<CaseState, 'coordinatorAgencyId' | 'responsibility' | 'consent'>, agencyId: string | null): Relation {
  if (!agencyId) return { coordinating: false, holder: false, successor: false, consented: false };
  return {
    coordinating: s.coordinatorAgencyId === agencyId,
    holder: s.responsibility.holderAgencyId === agencyId,
    successor: s.responsibility.successorAgencyId === agencyId,
    consented: s.consent.agencyIds.includes(agencyId),
  };
}

type Viewer = Pick<Person, 'role' | 'agencyId'>;
type Related = Pick<CaseState, 'coordinatorAgencyId' | 'responsibility' | 'consent' | 'erasedAt'>;

/**
 * The case exists for this person (view, commands, lists). Coordinators: their agency
 * coordinates it or holds or takes over responsibility. Supervisors: their agency coordinates
 * it or is covered by consent. Agency officers: consent only. Administrators: never.
 */
export function canSeeCase(s: Related, viewer: Viewer): boolean {
  // An erased client is gone for everyone; only the figures still count the case's skeleton.
  if (s.erasedAt) return false;
  const r = relationOf(s, viewer.agencyId);
  switch (viewer.role) {
    case 'coordinator': return r.coordinating || r.holder || r.successor;
    case 'supervisor': return r.coordinating || r.consented;
    case 'agency': return r.consented;
    case 'admin':
    case 'operator':
      return false;
  }
}

/** The case's audit trail: coordinators and supervisors who see the case; officers see only their view. */
export function canSeeTrail(s: Related, viewer: Viewer): boolean {
  return (viewer.role === 'coordinator' || viewer.role === 'supervisor') && canSeeCase(s, viewer);
}

/** Who read this client's data (the extract a client may ask for): the coordinating agency's coordinators and supervisors. */
export function canSeeAccessLog(s: Related, viewer: Viewer): boolean {
  return (viewer.role === 'coordinator' || viewer.role === 'supervisor') && !s.erasedAt && relationOf(s, viewer.agencyId).coordinating;
}

/**
 * Erasing a case opened in error, and the client's subject access extract (GDPR art. 15 and
 * 17): the coordinating agency's coordinators, who answer for the registration.
 */
export function canEraseOrExport(s: Related, viewer: Viewer): boolean {
  return viewer.role === 'coordinator' && !s.erasedAt && relationOf(s, viewer.agencyId).coordinating;
}

/**
 * An agency other than the coordinating one may hold or take over overall responsibility only
 * when the client's consent covers it; the two roles go to different agencies.
 */
export function responsibilityProblem(
  s: Pick<CaseState, 'coordinatorAgencyId' | 'consent'>,
  holderAgencyId: string | null,
  successorAgencyId: string | null,
): { path: 'holderAgencyId' | 'successorAgencyId'; message: string; kind: 'conflict' | 'invalid_input' } | null {
  for (const [path, id] of [['holderAgencyId', holderAgencyId], ['successorAgencyId', successorAgencyId]] as const) {
    if (id && id !== s.coordinatorAgencyId && !s.consent.agencyIds.includes(id)) {
      return { path, kind: 'conflict', message: "must be the coordinating agency or an agency the client's consent covers" };
    }
  }
  if (holderAgencyId && holderAgencyId === successorAgencyId) {
    return { path: 'successorAgencyId', kind: 'invalid_input', message: 'must differ from the agency that holds responsibility' };
  }
  return null;
}
