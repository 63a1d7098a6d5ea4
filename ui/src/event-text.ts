import { formatDate, formatDateTime, formatShare } from './format';
import { AREAS, CANCEL_REASONS, EVENT_TYPES, GAP_KINDS, MEASURES, PHASES, RISK_LEVELS, label } from './labels';
import type { EventView } from './types';
import { sentenceLengthText } from './sentence-length';

/*
 * The case history in words: what each event says (its *Detaljer*) and who or what caused it.
 * Every event type of domain/schemas/events.ts has its details here (test/ui/event-text.test.ts walks
 * them all), and an alert that the schedule closed is put down to what closed its gap.
 */

export interface TrailContext {
  /** Every event of the case so far, in version order (names of interventions, raised alerts). */
  all: readonly EventView[];
  agencyName(id: string | null): string;
}

type Data = Record<string, unknown>;
const str = (d: Data, k: string) => (typeof d[k] === 'string' ? (d[k] as string) : '');

export const ERASURE_REASONS: Record<string, string> = {
  opened_in_error: 'öppnat av misstag',
  duplicate: 'dubblett av ett annat ärende',
  wrong_client: 'fel klient',
  retention: 'bevarandetiden har gått ut',
};

/** The intervention's title, from the event that planned it. */
function interventionTitle(id: string, ctx: TrailContext): string {
  const planned = ctx.all.find((x) => x.type === 'InterventionPlanned' && (x.data as Data).interventionId === id);
  return (planned && str(planned.data as Data, 'title')) || id || 'insatsen';
}

/** `Uppföljning senast 2027-04-01 (Frivården Göteborg)`, from the event that scheduled it. */
function followUpText(id: string, ctx: TrailContext): string {
  const scheduled = ctx.all.find((x) => x.type === 'FollowUpScheduled' && (x.data as Data).followUpId === id);
  if (!scheduled) return 'Uppföljning efter frigivning';
  const d = scheduled.data as Data;
  return `Uppföljning senast ${formatDate(str(d, 'dueAt'))} (${ctx.agencyName(str(d, 'agencyId') || null)})`;
}

/** An acknowledgement or resolution names only its alert: say which, from the event that raised it. */
function alertText(alertId: unknown, ctx: TrailContext): string {
  const raised = ctx.all.find((x) => x.type === 'AlertRaised' && (x.data as Data).alertId === alertId);
  if (!raised) return `Larm ${String(alertId)}`;
  const r = raised.data as Data;
  return `Nivå ${String(r.level)} till ${ctx.agencyName(str(r, 'agencyId') || null)}: ${label(GAP_KINDS, str(r, 'kind'))}`;
}

/** The risk level before this event: from the opening or the last change before it. */
function previousRisk(e: EventView, ctx: TrailContext): string {
  const before = ctx.all.filter((x) => x.version < e.version && (x.type === 'RiskLevelChanged' || x.type === 'CaseOpened')).at(-1);
  return before ? str(before.data as Data, 'riskLevel') : '';
}

const withNote = (text: string, note: string) => (note ? `${text}: ${note}` : text);

/** The *Detaljer* of one event: never empty. */
export function eventSummary(e: EventView, ctx: TrailContext): string {
  const d = e.data as Data;
  const s = (k: string) => str(d, k);
  const list = (k: string, f: (x: string) => string) => (Array.isArray(d[k]) ? (d[k] as string[]).map(f).join(', ') || 'inga' : 'inga');
  const title = () => `”${interventionTitle(s('interventionId'), ctx)}”`;
  const text = ((): string => {
    switch (e.type) {
      case 'CaseOpened':
        return `Fas ${label(PHASES, s('phase')).toLowerCase()}, risknivå ${label(RISK_LEVELS, s('riskLevel')).toLowerCase()}, samordnas av ${ctx.agencyName(s('coordinatorAgencyId') || null)}`;
      case 'PhaseChanged':
        return `${label(PHASES, s('from'))} → ${label(PHASES, s('to'))}${s('measure') ? ` (${label(MEASURES, s('measure')).toLowerCase()})` : ''}${s('reason') ? `: ${s('reason')}` : ''}${s('probationEndsAt') ? `; prövotid till ${formatDate(s('probationEndsAt'))}` : ''}`;
      case 'SentenceRecorded': {
        const sentence = d.sentence as { length?: string } | undefined;
        const estimate = d.releaseEstimate as { estimatedReleaseAt?: string } | undefined;
        return `${sentenceLengthText(sentence?.length ?? '')}, beräknad frigivning ${formatDate(estimate?.estimatedReleaseAt ?? '')}${d.usedAsReleaseDate ? ' (gäller som frigivningsdatum)' : ''}${s('reason') ? `: ${s('reason')}` : ''}`;
      }
      case 'ReleaseDateChanged':
        return `${d.previous ? `${formatDate(s('previous'))} → ` : ''}${formatDate(s('expectedReleaseAt'))}${s('reason') ? `: ${s('reason')}` : ''}`;
      case 'NeedsChanged':
        return `Behov: ${list('needs', (a) => label(AREAS, a))}`;
      case 'RiskLevelChanged': {
        const before = previousRisk(e, ctx);
        return `${before ? `${label(RISK_LEVELS, before)} → ` : ''}${label(RISK_LEVELS, s('riskLevel'))}${s('reason') ? `: ${s('reason')}` : ''}`;
      }
      case 'ConsentChanged':
        return `Samtycke till: ${list('agencyIds', ctx.agencyName)}`;
      case 'ResponsibilityChanged':
        return `Ansvarig: ${ctx.agencyName(s('holderAgencyId') || null)}; efter frigivning: ${ctx.agencyName(s('successorAgencyId') || null)}`;
      case 'ClientViewRecorded':
        return s('text') || '(ingen text)';
      case 'InterventionPlanned':
        return `${s('title')} (${ctx.agencyName(s('agencyId') || null)})${d.dueAt ? `, senast ${formatDate(s('dueAt'))}` : ''}`;
      case 'InterventionAssigned':
        return `${title()} → ${ctx.agencyName(s('agencyId') || null)}`;
      case 'InterventionAccepted':
      case 'InterventionCompleted':
        return withNote(title(), s('note'));
      case 'InterventionDeclined':
      case 'InterventionWaived':
        return withNote(title(), s('reason'));
      case 'InterventionCancelled':
        return withNote(title(), CANCEL_REASONS[s('reason')] ?? s('reason'));
      case 'FollowUpScheduled':
        return `Senast ${formatDateTime(s('dueAt'))}, ${ctx.agencyName(s('agencyId') || null)}`;
      case 'FollowUpCompleted':
        return withNote(followUpText(s('followUpId'), ctx), s('note'));
      case 'FollowUpMissed':
        return `${followUpText(s('followUpId'), ctx)} gjordes inte i tid`;
      case 'FollowUpCancelled':
        return withNote(followUpText(s('followUpId'), ctx), CANCEL_REASONS[s('reason')] ?? s('reason'));
      case 'CoordinationMeetingRecorded':
        return withNote(`${formatDate(s('at'))} med ${list('agencyIds', ctx.agencyName)}`, s('note'));
      case 'PlanAdopted':
        return `Fastställd ${formatDate(s('at'))}`;
      case 'PlanReviewed':
        return `Omprövad ${formatDate(s('at'))}`;
      case 'ReminderSent':
        return `${title()} till ${ctx.agencyName(s('agencyId') || null)}, klar senast ${formatDate(s('dueAt'))}`;
      case 'AlertRaised':
        return `Nivå ${String(d.level)} till ${ctx.agencyName(s('agencyId') || null)}: ${s('message') || label(GAP_KINDS, s('kind'))}`;
      case 'AlertAcknowledged':
        return alertText(d.alertId, ctx);
      case 'AlertResolved':
        return `${alertText(d.alertId, ctx)}${d.reason === 'consent_withdrawn' ? ' (samtycket återkallat)' : d.reason === 'case_closed' ? ' (ärendet avslutat)' : ''}`;
      case 'CaseTransferred':
        return withNote(`Från ${ctx.agencyName(s('fromAgencyId') || null)} till ${ctx.agencyName(s('toAgencyId') || null)}`, s('reason'));
      case 'CaseErased':
        return `Skäl: ${ERASURE_REASONS[s('reason')] ?? s('reason')}`;
      case 'RulesAdopted':
        return `Ärendet följer reglerna version ${String(d.rules)} härifrån (frigivning, helhetsansvar, nytt häkte och avslut)`;
      case 'GapPredicted':
        return `${title()} hos ${ctx.agencyName(s('agencyId') || null)}: ${forecastText(d)}, klar senast ${formatDate(s('dueAt'))}`;
      case 'PredictedGapWithdrawn':
        return `${title()}: ${WITHDRAWN_REASONS[s('reason')] ?? s('reason')}`;
      case 'ResponsibilityHandedOver':
        return `Från ${ctx.agencyName(s('fromAgencyId') || null)} till ${ctx.agencyName(s('toAgencyId') || null)}`;
      default:
        return '';
    }
  })();
  // An event this interface does not know yet still says what it is.
  return text || EVENT_TYPES[e.type] || e.type;
}

const WITHDRAWN_REASONS: Record<string, string> = {
  completed: 'insatsen blev klar',
  on_track: 'ny prognos: hinner troligen i tid',
  overdue: 'tidsfristen har passerat (larmet tar över)',
  changed: 'insatsen ändrades, avslutades eller klienten friges',
};

/** The chance and what it rests on, as the coordinator and the agency read it. */
export function forecastText(d: Record<string, unknown>): string {
  const chance = formatShare(typeof d.probability === 'number' ? d.probability : null);
  const n = typeof d.observations === 'number' ? d.observations : 0;
  const basis = d.basis === 'observed'
    ? `utifrån myndighetens ${n} senaste insatser inom området`
    : `för få insatser att mäta (${n}), antagen handläggningstid`;
  return `${chance} chans att bli klar i tid, ${basis}`;
}

/** Why the schedule closed an alert: the latest earlier event that closed its gap. */
function closedBy(e: EventView, ctx: TrailContext): string {
  const raised = ctx.all.find((x) => x.type === 'AlertRaised' && (x.data as Data).alertId === (e.data as Data).alertId);
  const r = (raised?.data ?? {}) as Data;
  const before = ctx.all.filter((x) => x.version < e.version).reverse();
  const sameWork = (x: EventView) => {
    const d = x.data as Data;
    return (r.interventionId && d.interventionId === r.interventionId) || (r.followUpId && d.followUpId === r.followUpId);
  };
  const byKind: Record<string, string[]> = {
    plan_not_adopted: ['PlanAdopted'], plan_review_overdue: ['PlanReviewed'], meeting_missing: ['CoordinationMeetingRecorded'],
    successor_missing: ['ResponsibilityChanged', 'ResponsibilityHandedOver'], release_date_passed: ['PhaseChanged', 'ReleaseDateChanged'],
    chain_at_risk: ['InterventionCompleted', 'InterventionWaived', 'InterventionDeclined', 'InterventionCancelled'],
  };
  const cause =
    before.find((x) => x.type !== 'AlertRaised' && x.type !== 'AlertResolved' && x.type !== 'ReminderSent' && sameWork(x)) ??
    before.find((x) => (byKind[str(r, 'kind')] ?? []).includes(x.type)) ??
    before.find((x) => !('system' in x.actor));
  const prefix = 'Automatiskt: luckan stängdes';
  if (!cause) return prefix;
  const d = cause.data as Data;
  const title = `”${interventionTitle(str(d, 'interventionId'), ctx)}”`;
  switch (cause.type) {
    case 'InterventionCompleted': return `${prefix} när insatsen ${title} blev klar`;
    case 'InterventionDeclined': return `${prefix} när klienten avböjde insatsen ${title}`;
    case 'InterventionWaived': return `${prefix} när insatsen ${title} bedömdes inte behövas`;
    case 'InterventionCancelled': return `${prefix} när insatsen ${title} avbröts`;
    case 'InterventionAssigned': return `${prefix} när insatsen ${title} gick till ${ctx.agencyName(str(d, 'agencyId') || null)}`;
    case 'FollowUpCompleted': return `${prefix} när uppföljningen genomfördes`;
    case 'FollowUpCancelled': return `${prefix} när uppföljningen avbröts`;
    case 'PlanAdopted': return `${prefix} när verkställighetsplanen fastställdes`;
    case 'PlanReviewed': return `${prefix} när verkställighetsplanen omprövades`;
    case 'CoordinationMeetingRecorded': return `${prefix} när samordningsmötet antecknades`;
    case 'ResponsibilityChanged': return `${prefix} när helhetsansvaret ändrades`;
    case 'ResponsibilityHandedOver': return `${prefix} när helhetsansvaret togs över`;
    case 'PhaseChanged': return `${prefix} när fasen ändrades`;
    case 'ReleaseDateChanged': return `${prefix} när frigivningsdatumet ändrades`;
    default: return `${prefix} efter ”${(EVENT_TYPES[cause.type] ?? cause.type).toLowerCase()}”`;
  }
}

/** Who did it: the person and agency, or what made the system act. */
export function actorText(e: EventView, ctx: TrailContext): string {
  const actor = e.actor;
  if (actor.system === 'retention') return 'Automatiskt (gallring)';
  if (actor.system) {
    const reason = (e.data as Data).reason;
    if (e.type === 'AlertResolved') {
      if (reason === 'case_closed') return 'Automatiskt (ärendet avslutat)';
      if (reason === 'consent_withdrawn') return 'Automatiskt (samtycket återkallat)';
      return closedBy(e, ctx);
    }
    if (actor.system === 'forecast') return 'Automatiskt (prognos)';
    // Taking new rules is the system's own step, not a deadline.
    return e.type === 'RulesAdopted' ? 'Automatiskt' : 'Automatiskt (tidsfrist)';
  }
  const who = typeof actor.name === 'string' && actor.name ? actor.name : String(actor.sub ?? 'okänd');
  return typeof actor.agencyId === 'string' ? `${who}, ${ctx.agencyName(actor.agencyId)}` : who;
}
