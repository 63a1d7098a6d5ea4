import { addDuration, isoAt } from './duration';
import type { CaseState, GapKind } from './case-state';
import { gapSubject, type Gap } from './gaps';

export interface PlannedAlert {
  key: string;
  kind: GapKind;
  level: 1 | 2 | 3;
  agencyId: string;
  interventionId?: string;
  followUpId?: string;
  since: string;
  raiseAt: string;
  message: string;
}

const day = (t: string) => t.slice(0, 10);

/** The alert's text; the schedule asks for it only when it raises the alert. */
export function describe(s: CaseState, g: Gap): string {
  const i = g.interventionId ? s.interventions.find((x) => x.interventionId === g.interventionId) : undefined;
  const what = i ? `Insatsen "${i.title}" (${i.area})` : '';
  switch (g.kind) {
    case 'intervention_overdue': return `${what} är inte klar; den skulle vara klar ${day(g.since)}.`;
    case 'intervention_unassigned': return `${what} saknar ansvarig huvudman.`;
    case 'released_with_gap': return `Klienten frigavs ${day(g.since)} utan att ${what.toLowerCase()} var klar.`;
    case 'successor_missing':
      return s.phase === 'frigiven'
        ? `Klienten frigavs ${day(g.since)} utan att någon tog över samordningsansvaret.`
        : `Ingen har utsetts att ta över samordningsansvaret efter frigivningen.`;
    case 'chain_at_risk': {
      const p = s.interventions.find((x) => x.interventionId === g.prerequisiteId);
      const lead = i?.requirementIndex != null ? s.policy.body.requirements[i.requirementIndex]?.leadTime ?? 'PT0S' : 'PT0S';
      const mustBy = s.expectedReleaseAt ? isoAt(addDuration(s.expectedReleaseAt, lead, -1)) : null;
      return `${what} väntar på "${p?.title ?? ''}", som skulle vara klar ${day(g.since)}. `
        + `Den behöver ${lead} efter det${i?.dueAt ? ` och ska vara klar ${day(i.dueAt)}` : ''}: `
        + `varje dag till blir den lika mycket sen${mustBy ? `, och blir "${p?.title ?? ''}" inte klar senast ${day(mustBy)} hinns den inte före frigivningen` : ''}.`;
    }
    case 'release_date_passed': return `Frigivningen skulle ske ${day(s.expectedReleaseAt ?? g.since)} men har inte registrerats: registrera den eller ändra datumet.`;
    case 'plan_not_adopted': return `Verkställighetsplanen skulle ha fastställts senast ${day(g.since)}.`;
    case 'plan_review_overdue': return `Verkställighetsplanen skulle ha omprövats senast ${day(g.since)}.`;
    case 'meeting_missing': return `Inget samordningsmöte har hållits inför frigivningen.`;
    case 'follow_up_missed': return `Uppföljningen efter frigivningen skulle ha gjorts senast ${day(g.since)}.`;
  }
}

/** Everything `alertTargets` reads of a case. */
export type AlertTargetInputs = Pick<CaseState, 'coordinatorAgencyId' | 'interventions' | 'followUps' | 'policy' | 'phase'>;

/** One alert a gap calls for; `after`: raised that long after the gap begins, else at once. */
export interface AlertTarget { level: 1 | 2 | 3; agencyId: string; after?: string }

/**
 * Who hears of a gap, at which level and when: level 1 to the agency that owns the work at
 * once, level 2 to the coordinator's agency after the policy's grace period, level 3 to both
 * for a release with a required intervention still open, and to the coordinator's agency for a
 * release nobody took over. Case-level gaps go to the coordinator.
 */
export function alertTargets(s: AlertTargetInputs, g: Gap): AlertTarget[] {
  const coordinator = s.coordinatorAgencyId;
  const owner = g.interventionId
    ? s.interventions.find((i) => i.interventionId === g.interventionId)?.agencyId ?? null
    : g.followUpId
      ? s.followUps.find((f) => f.followUpId === g.followUpId)?.agencyId ?? null
      : null;
  switch (g.kind) {
    case 'intervention_overdue': {
      const level2: AlertTarget = { level: 2, agencyId: coordinator, after: s.policy.body.escalation.level2After };
      return owner ? [{ level: 1, agencyId: owner }, level2] : [level2];
    }
    case 'released_with_gap':
      return [...new Set([coordinator, ...(owner ? [owner] : [])])].map((agencyId) => ({ level: 3, agencyId }));
    case 'follow_up_missed':
      return [{ level: 1, agencyId: owner ?? coordinator }];
    // The chain is the plan's, not one agency's: the coordinator's agency hears of it.
    case 'chain_at_risk':
      return [{ level: 1, agencyId: coordinator }];
    // After release (rules 2 only) a missing successor is a release with a gap of its own.
    case 'successor_missing':
      return [{ level: s.phase === 'frigiven' ? 3 : 1, agencyId: coordinator }];
    default:
      return [{ level: 1, agencyId: coordinator }];
  }
}

export const alertKey = (g: Gap, level: 1 | 2 | 3, agencyId: string) => `${g.kind}:${gapSubject(g)}:L${level}:${agencyId}`;

/** The alerts a gap calls for, each with its text and the moment it is raised. */
export function plannedAlerts(s: CaseState, g: Gap): PlannedAlert[] {
  const message = describe(s, g);
  return alertTargets(s, g).map(({ level, agencyId, after }) => ({
    key: alertKey(g, level, agencyId),
    kind: g.kind,
    level,
    agencyId,
    ...(g.interventionId ? { interventionId: g.interventionId } : {}),
    ...(g.followUpId ? { followUpId: g.followUpId } : {}),
    since: g.since,
    raiseAt: after === undefined ? g.since : isoAt(addDuration(g.since, after)),
    message,
  }));
}
