import type { Person } from './schemas/actor';
import type { Agency } from './schemas/agency';
import type { CaseState } from './case-state';
import type { Command } from './schemas/commands';
import type { AgencyType } from './schemas/vocabulary';

/** Agencies of these types that serve this municipality, locally or nation-wide (`*`). */
interface Resolvable {
  types: ReadonlySet<AgencyType>;
  municipality: string;
}
interface Needs {
  ids: readonly (string | null | undefined)[];
  resolvable?: Resolvable;
  /** Every agency of these types, wherever it serves. */
  everywhere?: ReadonlySet<AgencyType>;
}

/**
 * The part of the agency directory that `decide` (decide.ts) can look at for this command: the
 * agencies it names, and those `resolveAgency` could pick when the command plans work. Sent in
 * place of the whole directory, so an update does not store every agency in the country in the
 * case's history. `decide` with this part gives the same decision as with the whole directory
 * (test/domain/agencies-needed.test.ts checks it on random directories, cases and commands, so a
 * later change to the rules that looks further fails there).
 *
 * `resolveAgency` only ever picks an agency under the client's consent, and which one it picks
 * depends only on the consented agencies in the directory (agency-resolution.ts). So where a command brings the consent along
 * (open_case, set_consent), the agencies it names are all it needs. Where planning resolves under
 * the case's own consent (needs, risk level), every unit of the policy's types that serves the
 * client's municipality goes along instead: the consent may have changed since the caller read the
 * case, the municipality and the pinned policy never do. `state` is undefined for open_case.
 */
export function agenciesNeeded(
  state: CaseState | undefined,
  command: Command,
  actor: Pick<Person, 'agencyId'>,
  directory: readonly Agency[],
): Agency[] {
  const needs = needsOf(state, command, actor);
  if (!needs) return [];
  const ids = new Set(needs.ids.filter((id): id is string => typeof id === 'string'));
  const r = needs.resolvable;
  return directory.filter((a) =>
    ids.has(a.agencyId)
    || (needs.everywhere?.has(a.type) ?? false)
    || (r !== undefined && r.types.has(a.type) && (a.municipalities.includes(r.municipality) || a.municipalities.includes('*'))));
}

/** Planning resolves one agency per policy requirement, by its type, in the client's municipality. */
function planning(policy: CaseState['policy'], municipality: string): Resolvable {
  return { types: new Set(policy.body.requirements.map((req) => req.agencyType)), municipality };
}

function needsOf(state: CaseState | undefined, c: Command, actor: Pick<Person, 'agencyId'>): Needs | undefined {
  if (c.type === 'open_case') {
    // The coordinator's agency holds responsibility unless another is named, and is checked as such.
    return { ids: [actor.agencyId, c.responsibility?.holderAgencyId, c.responsibility?.successorAgencyId, ...c.consent.agencyIds] };
  }
  if (!state) return undefined;
  switch (c.type) {
    case 'set_needs':
    case 'set_risk_level':
      return { ids: [], resolvable: planning(state.policy, state.client.municipality) };
    // Withdrawn work goes to another agency where one resolves, and what now applies is planned:
    // both under the new consent, which is the command's own list.
    case 'set_consent': return { ids: c.agencyIds };
    // Follow-ups go to the successor when it is a probation office under consent, else to the one
    // that serves the municipality. Every probation office, rather than the successor and consent
    // the caller read: both may have changed since, and a successor may serve anywhere (a client
    // who moves). Once in a case's life.
    case 'change_phase':
      if (c.to === 'frigiven') return { ids: [], everywhere: new Set<AgencyType>(['frivarden']) };
      // A new remand plans the required interventions again (rules 2).
      if (c.to === 'hakte') return { ids: [], resolvable: planning(state.policy, state.client.municipality) };
      return undefined;
    case 'set_responsibility': return { ids: [c.holderAgencyId, c.successorAgencyId] };
    case 'transfer_case': return { ids: [c.toAgencyId] };
    case 'add_intervention': return { ids: [c.agencyId] };
    case 'reassign_intervention': return { ids: [c.agencyId] };
    case 'record_meeting': return { ids: c.agencyIds };
    case 'set_release_date':
    case 'set_sentence':
    case 'record_client_view':
    case 'accept_intervention':
    case 'complete_intervention':
    case 'decline_intervention':
    case 'waive_intervention':
    case 'complete_follow_up':
    case 'adopt_plan':
    case 'review_plan':
    case 'acknowledge_alert':
      return undefined;
  }
}
