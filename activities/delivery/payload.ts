/*
 * What leaves the system through webhooks and e-mail: the case id, the alert's kind and level,
 * its due and raised times, a Swedish sentence and a link. Never the client's name or personal
 * identity number: the receiver follows the link and signs in to see who it is about.
 */

export interface AlertItem {
  alertId: string;
  caseId: string;
  kind: string;
  level: number;
  /** When the gap began (the intervention's due time, the release…). */
  dueAt: string;
  raisedAt: string;
  message: string;
  link: string;
}

export interface DigestAlertItem extends AlertItem {
  status: 'open' | 'acknowledged';
}

export type DeliveryPayload =
  | { type: 'alert'; deliveryId: string; agencyId: string; alert: AlertItem }
  | {
      type: 'reminder';
      deliveryId: string;
      agencyId: string;
      reminder: { caseId: string; dueAt: string; sentAt: string; message: string; link: string };
    }
  | {
      type: 'digest';
      deliveryId: string;
      agencyId: string;
      digest: { generatedAt: string; total: number; alerts: DigestAlertItem[] };
    };

/** The case's page in the web interface (ui/src/app.tsx routes `/arenden/{caseId}`); it asks the reader to sign in. */
export const caseLink = (publicBaseUrl: string, caseId: string): string => `${publicBaseUrl}/arenden/${encodeURIComponent(caseId)}`;

export const KIND_LABELS: Record<string, string> = {
  intervention_overdue: 'Insats inte klar i tid',
  intervention_unassigned: 'Insats saknar ansvarig huvudman',
  released_with_gap: 'Frigiven med glapp',
  successor_missing: 'Ingen övertar samordningsansvaret',
  plan_not_adopted: 'Verkställighetsplan inte fastställd',
  plan_review_overdue: 'Verkställighetsplan inte omprövad',
  meeting_missing: 'Inget samordningsmöte',
  follow_up_missed: 'Uppföljning inte gjord',
};

/** Sentences that say what happened without any free text from the case. */
const GENERIC_MESSAGES: Record<string, string> = {
  intervention_overdue: 'En insats är inte klar i tid.',
  intervention_unassigned: 'En insats saknar ansvarig huvudman.',
  released_with_gap: 'Klienten frigavs utan att en nödvändig insats var klar.',
  successor_missing: 'Ingen har utsetts att ta över samordningsansvaret efter frigivningen.',
  plan_not_adopted: 'Verkställighetsplanen har inte fastställts i tid.',
  plan_review_overdue: 'Verkställighetsplanen har inte omprövats i tid.',
  meeting_missing: 'Inget samordningsmöte har hållits inför frigivningen.',
  follow_up_missed: 'En uppföljning efter frigivningen har inte gjorts i tid.',
  release_date_passed: 'Det planerade frigivningsdatumet har passerat utan att frigivningen registrerats.',
  chain_at_risk: 'En insats som andra insatser väntar på är sen.',
  reminder: 'Påminnelse: en insats ska snart vara klar.',
};

// 10 or 12 digits in the shape of a personnummer/samordningsnummer (YYMMDD-NNNN, YYYYMMDDNNNN…).
const IDENTITY_NUMBER = /(?<!\d)(\d{2})?\d{6}[-+\s]?\d{4}(?!\d)/u;
const words = (s: string): string[] => s.toLocaleLowerCase('sv').match(/[\p{L}\p{N}]+/gu) ?? [];

export interface ClientIdentityLike {
  name: string;
  personalIdentityNumber: string | null;
}

/**
 * The alert messages are generated sentences (domain/alert-plan.ts), but they quote an
 * intervention's title, which a coordinator types. Before a message leaves the system it is
 * checked against the client's identity: a message naming the client, or carrying anything
 * shaped like an identity number, is replaced by a generic sentence for its kind.
 */
export function safeMessage(message: string, kind: string, identity: ClientIdentityLike | null): string {
  const generic = GENERIC_MESSAGES[kind] ?? 'Ett larm har utlösts i ärendet.';
  if (IDENTITY_NUMBER.test(message)) return generic;
  if (identity) {
    const nameWords = new Set(words(identity.name).filter((w) => w.length >= 2));
    if (words(message).some((w) => nameWords.has(w))) return generic;
    const pin = identity.personalIdentityNumber?.replace(/\D/g, '');
    if (pin && message.replace(/\D/g, '').includes(pin.slice(-10))) return generic;
  }
  return message;
}

/** `2027-03-01 09:00 (svensk tid)`. */
export function swedishTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const text = d.toLocaleString('sv-SE', {
    timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  return `${text} (svensk tid)`;
}

const FOOTER = [
  'Meddelandet innehåller inga uppgifter om vem klienten är. Logga in för att se ärendet.',
  'Svara inte på det här meddelandet.',
];

/** The e-mail for a delivery: a subject and a plain-text body in Swedish. */
export function renderEmail(p: DeliveryPayload): { subject: string; text: string } {
  const lines: string[] = [];
  let subject: string;
  switch (p.type) {
    case 'alert': {
      const a = p.alert;
      const label = KIND_LABELS[a.kind] ?? a.kind;
      subject = `Glappfri: larm nivå ${a.level} – ${label}`;
      lines.push(
        `Larm nivå ${a.level}: ${label}`,
        '',
        a.message,
        '',
        `Ärende: ${a.caseId}`,
        `Gäller från: ${swedishTime(a.dueAt)}`,
        `Larmet utlöstes: ${swedishTime(a.raisedAt)}`,
        '',
        `Öppna ärendet: ${a.link}`,
      );
      break;
    }
    case 'reminder': {
      const r = p.reminder;
      subject = `Glappfri: påminnelse – insats ska vara klar ${swedishTime(r.dueAt)}`;
      lines.push(r.message, '', `Ärende: ${r.caseId}`, `Ska vara klar: ${swedishTime(r.dueAt)}`, '', `Öppna ärendet: ${r.link}`);
      break;
    }
    case 'digest': {
      const d = p.digest;
      subject = `Glappfri: ${d.total} olösta larm (sammanställning)`;
      lines.push(`Sammanställning ${swedishTime(d.generatedAt)}: ${d.total} olösta larm.`, '');
      for (const a of d.alerts) {
        const status = a.status === 'acknowledged' ? 'kvitterat' : 'öppet';
        lines.push(
          `• Nivå ${a.level} – ${KIND_LABELS[a.kind] ?? a.kind} (${status})`,
          `  ${a.message}`,
          `  Ärende ${a.caseId}, sedan ${swedishTime(a.dueAt)}`,
          `  ${a.link}`,
          '',
        );
      }
      if (d.total > d.alerts.length) lines.push(`… och ${d.total - d.alerts.length} till.`, '');
      break;
    }
  }
  lines.push('', `Leverans-id: ${p.deliveryId}`, ...FOOTER);
  return { subject, text: lines.join('\n') };
}
