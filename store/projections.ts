import type { PoolClient } from 'pg';
import type { CaseState } from '../domain/case-state';
import type { DomainEvent } from '../domain/schemas/events';
import { evolve } from '../domain/evolve';
import { gapsAt } from '../domain/gaps';
import type { StoredEvent } from './event-store';
import { gapsAtRelease, meetingsBeforeRelease, releaseOutcomes } from './release-outcomes';

export function toDomainEvent(e: Pick<StoredEvent, 'type' | 'data' | 'occurredAt' | 'metadata'>): DomainEvent {
  return { type: e.type, data: e.data, occurredAt: e.occurredAt, actor: e.metadata.actor } as DomainEvent;
}

/**
 * Brings every read model of the cases in `appended` up to date, inside the append's
 * transaction. Built with the same `evolve` as the workflow, so the two cannot disagree.
 *
 * The result does not depend on how the events are grouped into calls (one call per append
 * live, large batches in a rebuild): every row is a function of the case's state after the
 * call, or one row per event (reminders, alert changes). It writes no row shared between
 * cases, so appends of different cases never wait for each other here.
 */
export async function projectEvents(tx: PoolClient, appended: readonly StoredEvent[]): Promise<void> {
  const byStream = new Map<string, StoredEvent[]>();
  for (const e of appended) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e]);
  for (const [caseId, events] of byStream) await projectStream(tx, caseId, events);
}

/**
 * The time the read models of a case are computed at (its gaps are a function of time): the
 * last event of the case's own timeline. An erasure is not part of it, so erasing a client
 * leaves the gaps, and so the figures, exactly as they were.
 */
export function timelineTime(events: readonly Pick<StoredEvent, 'type' | 'occurredAt'>[], before: string | undefined): string {
  const last = [...events].reverse().find((e) => e.type !== 'CaseErased');
  return last?.occurredAt ?? before ?? events[events.length - 1]!.occurredAt;
}

async function projectStream(tx: PoolClient, caseId: string, events: StoredEvent[]): Promise<void> {
  const row = await tx.query<{ state: CaseState; updated_at: Date }>('SELECT state, updated_at FROM case_states WHERE case_id = $1 FOR UPDATE', [caseId]);
  const before = row.rows[0]?.state;
  const first = events[0]!;
  if ((before?.version ?? 0) !== first.version - 1) {
    throw new Error(`read model of ${caseId} is at version ${before?.version ?? 0}, cannot apply version ${first.version}`);
  }
  // Folded one event at a time: a release is judged by the state just before and after it.
  let state = before;
  let atRelease: number | undefined;
  for (const e of events) {
    const next = evolve(state, toDomainEvent(e));
    const d = e.data as { to?: string; at?: string };
    if (e.type === 'PhaseChanged' && d.to === 'frigiven' && state && d.at) atRelease = gapsAtRelease(state, next, d.at);
    state = next;
  }
  const after = state!;
  const now = timelineTime(events, row.rows[0]?.updated_at.toISOString());
  await writeCase(tx, after, now, atRelease);
  await writeAlerts(tx, before, after, events);
  const reminders = events.filter((e) => e.type === 'ReminderSent');
  for (const r of reminders) {
    const d = r.data as { reminderId: string; interventionId: string; agencyId: string; dueAt: string };
    await tx.query(
      `INSERT INTO reminders (reminder_id, case_id, intervention_id, agency_id, due_at, sent_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [d.reminderId, caseId, d.interventionId, d.agencyId, d.dueAt, r.occurredAt],
    );
  }
}

/**
 * Rewrites the case's own rows; cheap because a case has tens of rows, not thousands.
 * `releaseGaps`: the gaps open at a release among the events just applied; absent, the row
 * keeps the count it has (it is a fact of the release, not of the state after it).
 */
export async function writeCase(tx: PoolClient, s: CaseState, now: string, releaseGaps?: number): Promise<void> {
  const gaps = gapsAt(s, now);
  await tx.query(
    `INSERT INTO case_states (case_id, version, state, updated_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (case_id) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state, updated_at = EXCLUDED.updated_at`,
    [s.caseId, s.version, JSON.stringify(s), now],
  );
  await tx.query(
    `INSERT INTO case_summaries (case_id, version, phase, measure, municipality, risk_level, coordinator_agency_id,
       consent_agency_ids, admitted_at, expected_release_at, released_at, closed_at, open_gap_count, meeting_count,
       policy_id, opened_at, updated_at, holder_agency_id, successor_agency_id, erased_at, release_outcomes,
       meetings_before_release, gaps_at_release, release_date_source)
     VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24)
     ON CONFLICT (case_id) DO UPDATE SET version = EXCLUDED.version, phase = EXCLUDED.phase, measure = EXCLUDED.measure,
       municipality = EXCLUDED.municipality, risk_level = EXCLUDED.risk_level,
       coordinator_agency_id = EXCLUDED.coordinator_agency_id, consent_agency_ids = EXCLUDED.consent_agency_ids,
       admitted_at = EXCLUDED.admitted_at, expected_release_at = EXCLUDED.expected_release_at,
       released_at = EXCLUDED.released_at, closed_at = EXCLUDED.closed_at, open_gap_count = EXCLUDED.open_gap_count,
       meeting_count = EXCLUDED.meeting_count, policy_id = EXCLUDED.policy_id, updated_at = EXCLUDED.updated_at,
       holder_agency_id = EXCLUDED.holder_agency_id, successor_agency_id = EXCLUDED.successor_agency_id,
       erased_at = EXCLUDED.erased_at, release_outcomes = EXCLUDED.release_outcomes,
       meetings_before_release = EXCLUDED.meetings_before_release,
       gaps_at_release = coalesce(EXCLUDED.gaps_at_release, case_summaries.gaps_at_release),
       release_date_source = EXCLUDED.release_date_source`,
    [
      s.caseId, s.version, s.phase, s.measure ?? null, s.client.municipality, s.riskLevel, s.coordinatorAgencyId,
      s.consent.agencyIds, s.admittedAt, s.expectedReleaseAt ?? null, s.releasedAt ?? null, s.closedAt ?? null,
      gaps.length, s.meetings.length, s.policy.policyId, s.openedAt, now,
      s.responsibility.holderAgencyId, s.responsibility.successorAgencyId, s.erasedAt ?? null, JSON.stringify(releaseOutcomes(s)),
      meetingsBeforeRelease(s), releaseGaps ?? null, s.releaseDateSource ?? null,
    ],
  );
  const likelyLate = new Map((s.predictedGaps ?? []).map((p) => [p.interventionId, {
    probability: p.probability, basis: p.basis, observations: p.observations, medianDays: p.medianDays, predictedAt: p.predictedAt,
  }]));
  const tasks = [
    ...s.interventions.map((i) => ({
      task_id: `${s.caseId}/${i.interventionId}`, case_id: s.caseId, kind: 'intervention', intervention_id: i.interventionId,
      follow_up_id: null, agency_id: i.agencyId, area: i.area, title: i.title, required: i.requiredBeforeRelease,
      due_at: i.dueAt, status: i.status, created_at: i.createdAt, assigned_at: i.assignedAt, completed_at: i.completedAt ?? null,
      likely_late: likelyLate.get(i.interventionId) ?? null,
    })),
    ...s.followUps.map((f) => ({
      task_id: `${s.caseId}/${f.followUpId}`, case_id: s.caseId, kind: 'follow_up', intervention_id: null,
      follow_up_id: f.followUpId, agency_id: f.agencyId, area: null, title: `Uppföljning ${f.offset} efter frigivning`,
      required: true, due_at: f.dueAt, status: f.status, created_at: s.releasedAt ?? now, assigned_at: s.releasedAt ?? now,
      completed_at: f.completedAt ?? null, likely_late: null,
    })),
  ];
  await tx.query('DELETE FROM tasks WHERE case_id = $1', [s.caseId]);
  if (tasks.length > 0) {
    await tx.query(
      `INSERT INTO tasks SELECT * FROM jsonb_populate_recordset(NULL::tasks, $1::jsonb)`,
      [JSON.stringify(tasks)],
    );
  }
  await tx.query('DELETE FROM case_gaps WHERE case_id = $1', [s.caseId]);
  if (gaps.length > 0) {
    const rows = gaps.map((g) => {
      const i = g.interventionId ? s.interventions.find((x) => x.interventionId === g.interventionId) : undefined;
      const f = g.followUpId ? s.followUps.find((x) => x.followUpId === g.followUpId) : undefined;
      return {
        case_id: s.caseId, kind: g.kind, subject: g.interventionId ?? g.followUpId ?? 'case',
        agency_id: i?.agencyId ?? f?.agencyId ?? s.coordinatorAgencyId, area: i?.area ?? null, since: g.since,
      };
    });
    await tx.query(`INSERT INTO case_gaps SELECT * FROM jsonb_populate_recordset(NULL::case_gaps, $1::jsonb)`, [JSON.stringify(rows)]);
  }
}

const ALERT_STATUS_AFTER: Partial<Record<string, string>> = {
  AlertRaised: 'open',
  AlertAcknowledged: 'acknowledged',
  AlertResolved: 'resolved',
};

async function writeAlerts(tx: PoolClient, before: CaseState | undefined, after: CaseState, events: StoredEvent[]): Promise<void> {
  const touched = new Set(
    events
      .filter((e) => e.type === 'AlertRaised' || e.type === 'AlertAcknowledged' || e.type === 'AlertResolved')
      .map((e) => (e.data as { alertId: string }).alertId),
  );
  if (touched.size === 0) return;
  const changed = after.alerts.filter((a) => touched.has(a.alertId));
  await tx.query(
    `INSERT INTO alerts (alert_id, case_id, kind, level, agency_id, intervention_id, follow_up_id, since, raised_at,
       status, acknowledged_at, resolved_at, message, resolved_reason)
     SELECT alert_id, $1, kind, level, agency_id, intervention_id, follow_up_id, since, raised_at, status,
            acknowledged_at, resolved_at, message, resolved_reason
       FROM jsonb_to_recordset($2::jsonb) AS a(alert_id text, kind text, level int, agency_id text, intervention_id text,
            follow_up_id text, since timestamptz, raised_at timestamptz, status text, acknowledged_at timestamptz,
            resolved_at timestamptz, message text, resolved_reason text)
     ON CONFLICT (alert_id) DO UPDATE SET status = EXCLUDED.status, acknowledged_at = EXCLUDED.acknowledged_at,
       resolved_at = EXCLUDED.resolved_at, resolved_reason = EXCLUDED.resolved_reason`,
    [
      after.caseId,
      JSON.stringify(changed.map((a) => ({
        alert_id: a.alertId, kind: a.kind, level: a.level, agency_id: a.agencyId, intervention_id: a.interventionId ?? null,
        follow_up_id: a.followUpId ?? null, since: a.since, raised_at: a.raisedAt, status: a.status,
        acknowledged_at: a.acknowledgedAt ?? null, resolved_at: a.resolvedAt ?? null, message: a.message,
        resolved_reason: a.resolvedReason ?? null,
      }))),
    ],
  );
  // One change per alert event, so the feed shows open → acknowledged → resolved even when
  // they come in one append, and a rebuild needs no knowledge of where appends began.
  const agencyOf = new Map(after.alerts.map((a) => [a.alertId, a.agencyId]));
  const changes = events.flatMap((e) => {
    const status = ALERT_STATUS_AFTER[e.type];
    if (!status) return [];
    const alertId = (e.data as { alertId: string }).alertId;
    return [{ alert_id: alertId, agency_id: agencyOf.get(alertId), status, at: e.occurredAt }];
  });
  await tx.query(
    `INSERT INTO alert_changes (alert_id, agency_id, status, at)
     SELECT c.ev->>'alert_id', c.ev->>'agency_id', c.ev->>'status', (c.ev->>'at')::timestamptz
       FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS c(ev, i) ORDER BY c.i`,
    [JSON.stringify(changes)],
  );
  // Wakes the live alert streams; delivered only if this transaction commits.
  await tx.query(`SELECT pg_notify('alert_changes', $1)`, [after.caseId]);
}
