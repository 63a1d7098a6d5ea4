import type { AgencyType, Area, FollowUpStatus, InterventionStatus, Measure, Phase, RiskLevel, Role } from '../../domain/schemas/vocabulary';

/* The domain's words (DOMAIN.md) as a Swedish reader knows them. */

export const PHASES: Record<Phase, string> = {
  hakte: 'Häkte',
  anstalt: 'Anstalt',
  utslussning: 'Utslussning',
  frigiven: 'Frigiven',
  avslutad: 'Avslutad',
};

export const MEASURES: Record<Measure, string> = {
  frigang: 'Frigång',
  utokad_frigang: 'Utökad frigång',
  halvvagshus: 'Halvvägshus',
  vardvistelse: 'Vårdvistelse',
};

export const AREAS: Record<Area, string> = {
  boende: 'Boende',
  missbruk: 'Missbruk och beroende',
  psykisk_halsa: 'Psykisk hälsa',
  somatisk_halsa: 'Somatisk hälsa',
  sysselsattning: 'Sysselsättning',
  forsorjning: 'Försörjning',
  skulder: 'Skulder',
  utbildning: 'Utbildning',
  familj: 'Familj',
  natverk: 'Socialt nätverk',
  kriminella_attityder: 'Kriminella attityder',
  skydd: 'Skydd',
  id_handlingar: 'Id-handlingar',
  annat: 'Annat',
};

export const RISK_LEVELS: Record<RiskLevel, string> = { low: 'Låg', medium: 'Medel', high: 'Hög' };

export const ROLES: Record<Role, string> = {
  coordinator: 'Samordnare',
  agency: 'Handläggare på myndighet',
  supervisor: 'Enhetschef',
  admin: 'Administratör',
  operator: 'Drift (operatör)',
};

export const AGENCY_TYPES: Record<AgencyType, string> = {
  kriminalvarden: 'Kriminalvården',
  frivarden: 'Frivården',
  socialtjansten: 'Socialtjänsten',
  regionen: 'Regionen (hälso- och sjukvård)',
  arbetsformedlingen: 'Arbetsförmedlingen',
  forsakringskassan: 'Försäkringskassan',
  kronofogden: 'Kronofogden',
  polisen: 'Polisen',
  lansstyrelsen: 'Länsstyrelsen',
  ideell: 'Ideell organisation',
  naringsliv: 'Näringsliv',
};

export const INTERVENTION_STATUSES: Record<InterventionStatus, string> = {
  unassigned: 'Saknar ansvarig',
  planned: 'Planerad',
  accepted: 'Accepterad',
  completed: 'Klar',
  declined: 'Avböjd av klienten',
  waived: 'Behövs inte',
  cancelled: 'Avbruten',
};

/** Why the system cancelled an intervention or follow-up (the events' `reason` codes). */
export const CANCEL_REASONS: Record<string, string> = {
  consent_withdrawn: 'samtycket återkallat',
  need_removed: 'behovet borttaget',
  case_closed: 'ärendet avslutat',
  new_remand: 'nytt häkte',
};

export const FOLLOW_UP_STATUSES: Record<FollowUpStatus, string> = {
  open: 'Planerad',
  completed: 'Genomförd',
  missed: 'Missad',
  cancelled: 'Avbruten',
};

export const GAP_KINDS: Record<string, string> = {
  intervention_overdue: 'Insats inte klar i tid',
  intervention_unassigned: 'Insats saknar ansvarig myndighet',
  released_with_gap: 'Frigiven med glapp',
  successor_missing: 'Ingen utsedd att ta över helhetsansvaret',
  plan_not_adopted: 'Verkställighetsplan inte fastställd i tid',
  plan_review_overdue: 'Verkställighetsplan inte omprövad i tid',
  meeting_missing: 'Inget samordningsmöte före frigivning',
  follow_up_missed: 'Uppföljning missad',
  release_date_passed: 'Frigivningsdatumet har passerat',
  chain_at_risk: 'En insats som andra väntar på är sen',
};

export const ALERT_LEVELS: Record<number, string> = {
  3: 'Nivå 3 – kritiskt',
  2: 'Nivå 2 – eskalerat',
  1: 'Nivå 1',
};

export const ALERT_STATUSES: Record<string, string> = {
  open: 'Öppet',
  acknowledged: 'Kvitterat',
  resolved: 'Åtgärdat',
};

export const EVENT_TYPES: Record<string, string> = {
  CaseOpened: 'Ärendet öppnades',
  PhaseChanged: 'Fas ändrad',
  ReleaseDateChanged: 'Frigivningsdatum ändrat',
  SentenceRecorded: 'Strafftid registrerad',
  NeedsChanged: 'Behov ändrade',
  RiskLevelChanged: 'Risknivå ändrad',
  ConsentChanged: 'Samtycke ändrat',
  ResponsibilityChanged: 'Helhetsansvar ändrat',
  ClientViewRecorded: 'Klientens synpunkter antecknade',
  InterventionPlanned: 'Insats planerad',
  InterventionAssigned: 'Insats tilldelad myndighet',
  InterventionAccepted: 'Insats accepterad',
  InterventionCompleted: 'Insats klar',
  InterventionDeclined: 'Insats avböjd av klienten',
  InterventionWaived: 'Insats behövs inte',
  InterventionCancelled: 'Insats avbruten',
  FollowUpScheduled: 'Uppföljning planerad',
  FollowUpCompleted: 'Uppföljning genomförd',
  FollowUpMissed: 'Uppföljning missad',
  FollowUpCancelled: 'Uppföljning avbruten',
  CoordinationMeetingRecorded: 'Samordningsmöte hållet',
  PlanAdopted: 'Verkställighetsplan fastställd',
  PlanReviewed: 'Verkställighetsplan omprövad',
  ReminderSent: 'Påminnelse skickad',
  AlertRaised: 'Larm utlöst',
  AlertAcknowledged: 'Larm kvitterat',
  AlertResolved: 'Larm åtgärdat',
  CaseTransferred: 'Samordningen överlämnad',
  CaseErased: 'Klientens uppgifter raderade',
  RulesAdopted: 'Ärendet följer nya regler',
  ResponsibilityHandedOver: 'Helhetsansvaret övertaget',
  GapPredicted: 'Risk för sen insats',
  PredictedGapWithdrawn: 'Risk för sen insats borta',
};

/** What a read showed (GET /v1/cases/{id}/access-log `what`). */
export const READ_KINDS: Record<string, string> = {
  case: 'Ärendet',
  events: 'Händelser',
  'access-log': 'Loggutdrag',
  'case-list': 'Ärendelista',
  tasks: 'Uppgiftslista',
  alerts: 'Larmlista',
  'alert-stream': 'Larm i realtid',
  command: 'Ändring i ärendet',
  export: 'Registerutdrag',
  erasure: 'Radering',
};

export const TASK_STATUSES: Record<string, string> = {
  ...INTERVENTION_STATUSES,
  open: 'Att göra',
  missed: 'Missad',
};

export const label = <K extends string>(table: Record<K, string>, key: string | null | undefined): string =>
  key == null ? '–' : ((table as Record<string, string>)[key] ?? key);

/** Beside a release date that is the sentence's estimate, not Kriminalvården's decision. */
export const ESTIMATE_NOTE = 'Uppskattning ur strafftiden, inte Kriminalvårdens datum';
