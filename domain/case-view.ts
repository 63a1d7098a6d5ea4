import type { Person } from './schemas/actor';
import type { CaseState } from './case-state';
import { chainOutlook } from './chain-outlook';
import { gapsAt } from './gaps';
import { OPEN_INTERVENTION_STATUSES } from './open-statuses';

/**
 * The contract's CaseView, minus the client's identity (added at the edge from the identity
 * table). An agency officer sees only what its own tasks need: its own interventions and
 * follow-ups and their gaps, the needs in its own areas, phase and dates, and who holds and
 * takes over responsibility; not the consent list, other agencies' work, the plan or the
 * client's own view. The risk level only where the agency plans from it: it holds follow-ups
 * on the case or takes over responsibility (frivården sets supervision intensity by risk).
 */
export function caseView(s: CaseState, now: string, viewer?: Pick<Person, 'role' | 'agencyId'>) {
  const officer = viewer?.role === 'agency';
  const own = officer ? (agencyId: string | null) => agencyId === viewer.agencyId : () => true;
  const interventions = s.interventions.filter((i) => own(i.agencyId));
  const followUps = s.followUps.filter((f) => own(f.agencyId));
  const visible = new Set([...interventions.map((i) => i.interventionId), ...followUps.map((f) => f.followUpId)]);
  const gaps = gapsAt(s, now).filter((g) => viewer?.role !== 'agency' || visible.has(g.interventionId ?? g.followUpId ?? ''));
  const predicted = new Map((s.predictedGaps ?? []).map(({ interventionId, agencyId: _a, dueAt: _d, ...mark }) => [interventionId, mark]));
  const overdue = (due: string | null, open: boolean) => open && due !== null && Date.parse(due) <= Date.parse(now);
  return {
    caseId: s.caseId,
    version: s.version,
    phase: s.phase,
    ...(s.measure ? { measure: s.measure } : {}),
    client: { municipality: s.client.municipality },
    ...(!officer || followUps.length > 0 || s.responsibility.successorAgencyId === viewer.agencyId ? { riskLevel: s.riskLevel } : {}),
    needs: officer ? s.needs.filter((n) => interventions.some((i) => i.area === n)) : s.needs,
    admittedAt: s.admittedAt,
    expectedReleaseAt: s.expectedReleaseAt ?? null,
    // Only on a case with a sentence; the sentence itself is the coordinators' (it tells the offence's weight).
    ...(s.releaseDateSource ? { releaseDateSource: s.releaseDateSource } : {}),
    ...(s.releaseEstimate ? { releaseEstimate: s.releaseEstimate } : {}),
    ...(s.sentence && !officer ? { sentence: s.sentence } : {}),
    ...(s.releasedAt ? { releasedAt: s.releasedAt } : {}),
    ...(s.probationEndsAt ? { probationEndsAt: s.probationEndsAt } : {}),
    ...(s.closedAt ? { closedAt: s.closedAt, closeReason: s.closeReason ?? null } : {}),
    policy: { policyId: s.policy.policyId, version: s.policy.version },
    ...(officer ? {} : { consent: { agencyIds: s.consent.agencyIds } }),
    responsibility: s.responsibility,
    coordinatorAgencyId: s.coordinatorAgencyId,
    ...(viewer?.role === 'agency' ? {} : { clientView: s.clientView ?? null, plan: s.plan, meetings: s.meetings }),
    interventions: interventions.map((i) => ({
      interventionId: i.interventionId,
      area: i.area,
      title: i.title,
      agencyId: i.agencyId,
      status: i.status,
      requiredBeforeRelease: i.requiredBeforeRelease,
      dueAt: i.dueAt,
      overdue: overdue(i.dueAt, OPEN_INTERVENTION_STATUSES.includes(i.status)),
      ...(predicted.has(i.interventionId) ? { likelyLate: predicted.get(i.interventionId)! } : {}),
      ...(i.completedAt ? { completedAt: i.completedAt } : {}),
      ...(i.reason ? { reason: i.reason } : {}),
      ...(i.note ? { note: i.note } : {}),
    })),
    followUps: followUps.map((f) => ({
      followUpId: f.followUpId,
      agencyId: f.agencyId,
      dueAt: f.dueAt,
      status: f.status,
      ...(f.completedAt ? { completedAt: f.completedAt } : {}),
    })),
    // Work that waits for other work, and whether the chain still makes it (policy `after`).
    chains: chainOutlook(s, now, interventions),
    gaps: gaps.map((g) => ({
      kind: g.kind,
      ...(g.interventionId ? { interventionId: g.interventionId } : {}),
      ...(g.followUpId ? { followUpId: g.followUpId } : {}),
      since: g.since,
    })),
  };
}
export type DomainCaseView = ReturnType<typeof caseView>;
