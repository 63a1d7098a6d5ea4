import { addDuration } from './duration';
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

const iso = (ms: number) => new Date(ms).toISOString();
const day = (t: string) => t.slice(0, 10);

function describe(s: CaseState, g: Gap): string {
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
      const mustBy = s.expectedReleaseAt ? iso(addDuration(s.expectedReleaseAt, lead, -1)) : null;
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

/**
 * Who hears of a gap, at which level and when: level 1 to the agency that owns the work at
 * once, level 2 to the coordinator's agency after the policy's grace period, level 3 to both
 * for a release with a required intervention still open, and to the coordinator's agency for a
 * release nobody took over. Case-level gaps go to the coordinator.
 */
export function plannedAlerts(s: CaseState, g: Gap): PlannedAlert[] {
  const coordinator = s.coordinatorAgencyId;
  const owner = g.interventionId
    ? s.interventions.find((i) => i.interventionId === g.interventionId)?.agencyId ?? null
    : g.followUpId
      ? s.followUps.find((f) => f.followUpId === g.followUpId)?.agencyId ?? null
      : null;
  const message = describe(s, g);
  const make = (level: 1 | 2 | 3, agencyId: string, raiseAt: string): PlannedAlert => ({
    key: `${g.kind}:${gapSubject(g)}:L${level}:${agencyId}`,
    kind: g.kind,
    level,
    agencyId,
    ...(g.interventionId ? { interventionId: g.interventionId } : {}),
    ...(g.followUpId ? { followUpId: g.followUpId } : {}),
    since: g.since,
    raiseAt,
    message,
  });
  switch (g.kind) {
    case 'intervention_overdue': {
      const level2 = make(2, coordinator, iso(addDuration(g.since, s.policy.body.escalation.level2After)));
      return owner ? [make(1, owner, g.since), level2] : [level2];
    }
    case 'released_with_gap':
      return [...new Set([coordinator, ...(owner ? [owner] : [])])].map((a) => make(3, a, g.since));
    case 'follow_up_missed':
      return [make(1, owner ?? coordinator, g.since)];
    // The chain is the plan's, not one agency's: the coordinator's agency hears of it.
    case 'chain_at_risk':
      return [make(1, coordinator, g.since)];
    // After release (rules 2 only) a missing successor is a release with a gap of its own.
    case 'successor_missing':
      return [make(s.phase === 'frigiven' ? 3 : 1, coordinator, g.since)];
    default:
      return [make(1, coordinator, g.since)];
  }
}
