import { canSeeCase, relationOf } from './access';
import type { Person } from './schemas/actor';
import type { CaseState } from './case-state';
import type { Command } from './schemas/commands';
import { reject, type Rejection } from './rejection';

/** Commands that only plan the case; coordinators own planning. */
const COORDINATOR_ONLY = new Set<Command['type']>([
  'change_phase', 'set_release_date', 'set_sentence', 'set_needs', 'set_risk_level', 'set_consent', 'set_responsibility',
  'record_client_view', 'add_intervention', 'waive_intervention', 'reassign_intervention', 'record_meeting',
  'adopt_plan', 'review_plan',
]);

/** An agency sees a client only under consent; to others the case does not exist. */
export function agencyHasConsent(state: CaseState, agencyId: string | null): boolean {
  return agencyId !== null && state.consent.agencyIds.includes(agencyId);
}

/**
 * Role, relationship and consent rules for one command on one case. Returns `not_found` rather
 * than `forbidden` wherever a 403 would reveal that the client exists: to anyone the case does
 * not exist for (access.ts), it does not exist. `legacy`: the rules of runs begun before access
 * followed the relationship (only officers were held to consent).
 */
export function authorize(state: CaseState, command: Command, actor: Person, legacy = false): Rejection | null {
  const { role } = actor;
  if (command.type === 'open_case') return role === 'coordinator' ? null : reject('forbidden', 'only a coordinator opens a case');
  if (role === 'admin' || role === 'operator') return reject('forbidden', 'an administrator or operator does not act on cases');
  if (legacy) {
    if (role === 'agency' && !agencyHasConsent(state, actor.agencyId)) return reject('not_found', 'no such case');
  } else if (!canSeeCase(state, actor)) {
    return reject('not_found', 'no such case');
  }
  if (command.type === 'transfer_case') {
    if (role !== 'coordinator') return reject('forbidden', 'only a coordinator hands a case over');
    return relationOf(state, actor.agencyId).coordinating ? null : reject('forbidden', 'only the coordinating agency hands the case over');
  }
  if (COORDINATOR_ONLY.has(command.type)) {
    return role === 'coordinator' ? null : reject('forbidden', `only a coordinator may ${command.type.replace(/_/g, ' ')}`);
  }
  switch (command.type) {
    case 'accept_intervention':
    case 'complete_intervention':
    case 'decline_intervention': {
      if (command.type === 'decline_intervention' && role === 'coordinator') return null;
      if (role !== 'agency') return reject('forbidden', 'only the assigned agency may do this');
      const i = state.interventions.find((x) => x.interventionId === command.interventionId);
      if (!i || i.agencyId !== actor.agencyId) return reject('not_found', 'no such intervention for your agency');
      return null;
    }
    case 'complete_follow_up': {
      if (role !== 'agency') return reject('forbidden', 'only the agency the follow-up is assigned to may complete it');
      const f = state.followUps.find((x) => x.followUpId === command.followUpId);
      if (!f || f.agencyId !== actor.agencyId) return reject('not_found', 'no such follow-up for your agency');
      return null;
    }
    case 'acknowledge_alert': {
      if (role !== 'supervisor') return reject('forbidden', 'only a supervisor acknowledges alerts');
      const a = state.alerts.find((x) => x.alertId === command.alertId);
      if (!a || a.agencyId !== actor.agencyId) return reject('not_found', 'no such alert for your agency');
      return null;
    }
  }
  return reject('forbidden', 'not allowed');
}
