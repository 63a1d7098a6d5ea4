import type { Person } from '../../domain/schemas/actor';
import { agencyHasConsent, authorize } from '../../domain/authorization';
import type { Command, CommandType } from '../../domain/schemas/commands';
import { decide } from '../../domain/decide';
import type { RejectionKind } from '../../domain/rejection';
import {
  RELEASE, admin, coordinator, ctx, history, officer, openCase, opened, plusDays, stateOf, supervisor,
} from './support';

/**
 * A released client with everything in play: i1 housing (sot-1480) overdue, alert a1 to sot-1480,
 * a2 to kvv; follow-ups f1… for frv-gbg. `ngo` has no consent.
 */
const DUE = plusDays(RELEASE, -30);
const state = stateOf(history(
  opened({ responsibility: { successorAgencyId: 'frv-gbg' } }),
  { type: 'adopt_plan' },
  { type: 'record_meeting', agencyIds: [] },
  { tick: plusDays(DUE, 4) },
  [{ type: 'change_phase', to: 'frigiven' }, ctx(coordinator, plusDays(DUE, 4))],
));

const commands: Record<Exclude<CommandType, 'open_case'>, Command> = {
  change_phase: { type: 'change_phase', to: 'avslutad', reason: 'x' },
  set_release_date: { type: 'set_release_date', expectedReleaseAt: RELEASE, reason: 'x' },
  set_sentence: { type: 'set_sentence', length: 'P1Y', startsAt: '2026-10-01', judgmentAt: '2026-09-20' },
  set_needs: { type: 'set_needs', needs: ['missbruk'] },
  set_risk_level: { type: 'set_risk_level', riskLevel: 'high', reason: 'x' },
  set_consent: { type: 'set_consent', agencyIds: [] },
  set_responsibility: { type: 'set_responsibility', holderAgencyId: 'kvv', successorAgencyId: 'frv-gbg' },
  record_client_view: { type: 'record_client_view', text: 'x' },
  add_intervention: { type: 'add_intervention', area: 'annat', title: 'x', requiredBeforeRelease: false },
  waive_intervention: { type: 'waive_intervention', interventionId: 'i1', reason: 'x' },
  reassign_intervention: { type: 'reassign_intervention', interventionId: 'i1', agencyId: 'af' },
  record_meeting: { type: 'record_meeting', agencyIds: [] },
  adopt_plan: { type: 'adopt_plan' },
  review_plan: { type: 'review_plan' },
  accept_intervention: { type: 'accept_intervention', interventionId: 'i1' },
  complete_intervention: { type: 'complete_intervention', interventionId: 'i1' },
  decline_intervention: { type: 'decline_intervention', interventionId: 'i1', reason: 'x' },
  complete_follow_up: { type: 'complete_follow_up', followUpId: 'f1' },
  acknowledge_alert: { type: 'acknowledge_alert', alertId: 'case-1-a1' },
  transfer_case: { type: 'transfer_case', toAgencyId: 'frv-gbg', reason: 'x' },
};

type Who =
  | 'coordinator' | 'successor coordinator' | 'unrelated coordinator'
  | 'owner officer' | 'other officer' | 'probation officer' | 'officer without consent'
  | 'owner supervisor' | 'other supervisor' | 'coordinating supervisor' | 'unrelated supervisor' | 'admin';
const coordinatorAt = (agencyId: string): Person => ({ sub: `coord-${agencyId}`, role: 'coordinator', agencyId });
const people: Record<Who, Person> = {
  coordinator,
  'successor coordinator': coordinatorAt('frv-gbg'),
  'unrelated coordinator': coordinatorAt('ngo'),
  'owner officer': officer('sot-1480'),
  'other officer': officer('af'),
  'probation officer': officer('frv-gbg'),
  'officer without consent': officer('ngo'),
  'owner supervisor': supervisor('sot-1480'),
  'other supervisor': supervisor('af'),
  'coordinating supervisor': supervisor('kvv'),
  'unrelated supervisor': supervisor('ngo'),
  admin,
};

const COORDINATOR_ONLY = new Set<CommandType>([
  'change_phase', 'set_release_date', 'set_sentence', 'set_needs', 'set_risk_level', 'set_consent', 'set_responsibility', 'record_client_view',
  'add_intervention', 'waive_intervention', 'reassign_intervention', 'record_meeting', 'adopt_plan', 'review_plan',
]);

/**
 * DOMAIN.md's table of roles and relations, as an oracle: null = allowed. The case is
 * coordinated (and held) by kvv, frv-gbg takes over; ngo has no relation to it at all.
 */
function expected(type: CommandType, who: Who): RejectionKind | null {
  if (who === 'admin') return 'forbidden';
  // The case does not exist for them.
  if (['officer without consent', 'unrelated coordinator', 'unrelated supervisor'].includes(who)) return 'not_found';
  const isCoordinator = who === 'coordinator' || who === 'successor coordinator';
  if (type === 'transfer_case') return who === 'coordinator' ? null : 'forbidden';
  if (COORDINATOR_ONLY.has(type)) return isCoordinator ? null : 'forbidden';
  const officerOf = (owner: Who) => (who === owner ? null : who.endsWith('officer') ? 'not_found' : 'forbidden');
  switch (type) {
    case 'accept_intervention':
    case 'complete_intervention':
      return officerOf('owner officer');
    case 'decline_intervention':
      return isCoordinator ? null : officerOf('owner officer');
    case 'complete_follow_up':
      return officerOf('probation officer');
    case 'acknowledge_alert':
      return who === 'owner supervisor' ? null : who.endsWith('supervisor') ? 'not_found' : 'forbidden';
    default:
      throw new Error(type);
  }
}

describe('who may do what (DOMAIN.md roles and relations)', () => {
  const rows = Object.entries(commands).flatMap(([type, command]) =>
    (Object.keys(people) as Who[]).map((who) => [type, who, command, expected(type as CommandType, who)] as const),
  );

  it.each(rows)('%s by %s', (_type, who, command, want) => {
    const got = authorize(state, command, people[who]);
    expect(got?.kind ?? null).toBe(want);
    if (got) expect(got.message).toEqual(expect.any(String));
  });

  it('decide applies the same rules before anything else', () => {
    for (const [, who, command, want] of rows) {
      const d = decide(state, command, ctx(people[who], plusDays(DUE, 5)));
      if (want) expect({ who, type: command.type, result: d.ok ? 'ok' : d.rejection.kind }).toEqual({ who, type: command.type, result: want });
    }
  });

  it('only a coordinator opens a case', () => {
    for (const who of Object.keys(people) as Who[]) {
      const got = authorize(undefined as never, openCase(), people[who]);
      expect([who, got?.kind ?? null]).toEqual([who, people[who].role === 'coordinator' ? null : 'forbidden']);
    }
  });

  it('runs begun before the relationship rules keep theirs: role and consent only', () => {
    expect(authorize(state, commands.set_consent, people['unrelated coordinator'], true)).toBeNull();
    expect(authorize(state, commands.set_consent, people['unrelated coordinator'])?.kind).toBe('not_found');
  });

  it('agencyHasConsent: only a consented agency', () => {
    expect(agencyHasConsent(state, 'sot-1480')).toBe(true);
    expect(agencyHasConsent(state, 'ngo')).toBe(false);
    expect(agencyHasConsent(state, null)).toBe(false);
  });
});
