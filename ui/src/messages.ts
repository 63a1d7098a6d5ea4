import { FOLLOW_UP_STATUSES, INTERVENTION_STATUSES, PHASES, ALERT_STATUSES, label } from './labels';

/*
 * The API and the domain rules speak English in their messages; a person using the interface
 * reads Swedish. Known messages are translated; an unknown one is shown as it came, which is
 * better than hiding it.
 */

const EXACT: Record<string, string> = {
  // domain/schemas/vocabulary.ts, domain/schemas/personal-identity-number.ts, domain/schemas/commands.ts
  'a kommunkod is four digits': 'Kommunkoden ska vara fyra siffror, till exempel 1480.',
  'personal identity number must be 12 digits (YYYYMMDDNNNC), optionally with a hyphen before the last four':
    'Personnumret ska ha 12 siffror (ÅÅÅÅMMDDNNNN), gärna med bindestreck före de fyra sista.',
  'personal identity number does not contain a valid date of birth': 'Personnumret innehåller inget giltigt födelsedatum.',
  'personal identity number has an invalid check digit': 'Personnumret har fel kontrollsiffra.',
  // domain/schemas/open-case-body.ts
  'personal identity number has a date of birth in the future': 'Personnumret har ett födelsedatum som inte har inträffat än.',
  'an ISO 8601 time with offset, e.g. 2027-03-01T08:00:00Z': 'Ange ett giltigt datum.',
  'letters, digits, ".", "_" or "-"': 'Får bara innehålla bokstäver, siffror, ”.”, ”_” eller ”-”.',
  'lower-case letters, digits, "_" or "-"': 'Får bara innehålla gemener, siffror, ”_” eller ”-”.',
  'listed twice': 'Samma val förekommer två gånger.',
  // domain/decide.ts and domain/authorization.ts
  'required unless the phase is hakte': 'Ange planerat frigivningsdatum (krävs utom i häkte).',
  'required unless the phase is hakte or a sentence is given': 'Ange planerat frigivningsdatum eller strafftiden (krävs utom i häkte).',
  // domain/sentence.ts and domain/schemas/sentence-schema.ts
  "no release regime of the case's policy covers a judgment final on this date": 'Ärendets policy har inga frigivningsregler för domar som vann laga kraft det datumet.',
  'the sentence would run past 2199': 'Strafftiden sträcker sig orimligt långt fram.',
  'must be before the expected release date': 'Verkställigheten måste ha börjat före det planerade frigivningsdatumet.',
  'the estimated release would not be after admittedAt': 'Den beräknade frigivningen infaller före inskrivningen; kontrollera strafftid och startdatum.',
  'must be an ISO 8601 duration such as P30D, P1M or PT20S': 'Ange strafftiden som till exempel 2 år 6 månader.',
  'longer than nothing, at most 50 years': 'Strafftiden ska vara längre än noll och högst 50 år.',
  'a date (2025-03-01) or an ISO 8601 time with offset': 'Ange ett giltigt datum.',
  'a date between 1900 and 2199': 'Ange ett datum mellan 1900 och 2199.',
  'required for utslussning': 'Välj vilken utslussningsåtgärd som gäller.',
  'only for utslussning': 'Utslussningsåtgärd anges bara i fasen utslussning.',
  'must be after admittedAt': 'Frigivningen måste ligga efter inskrivningsdatumet.',
  'unknown agency': 'Okänd myndighet.',
  'no such policy': 'Det finns ingen policy med det namnet.',
  'required to close a case': 'Ange ett skäl för att avsluta ärendet.',
  'a transition cannot be recorded ahead of time': 'En fasändring kan inte registreras i förväg.',
  'the client is already released': 'Klienten är redan frigiven.',
  "the client's consent does not cover this agency": 'Klientens samtycke omfattar inte den myndigheten.',
  'the case is closed': 'Ärendet är avslutat.',
  'the case is already open': 'Ärendet är redan öppnat.',
  'no sentence plan has been adopted yet': 'Ingen verkställighetsplan är fastställd än.',
  'the sentence plan is already adopted; review it instead': 'Verkställighetsplanen är redan fastställd; ompröva den i stället.',
  'a coordinator must belong to an agency': 'En samordnare måste höra till en myndighet.',
  'an administrator does not act on cases': 'En administratör arbetar inte i ärenden.',
  'only a coordinator opens a case': 'Bara en samordnare kan öppna ärenden.',
  'only a supervisor acknowledges alerts': 'Bara en enhetschef kan kvittera larm.',
  'only the assigned agency may do this': 'Bara den ansvariga myndigheten kan göra det.',
  'only the agency the follow-up is assigned to may complete it': 'Bara den ansvariga myndigheten kan genomföra uppföljningen.',
  'not allowed': 'Inte tillåtet.',
  'no such case': 'Ärendet finns inte.',
  'no such intervention': 'Insatsen finns inte.',
  'no such intervention for your agency': 'Insatsen finns inte för din myndighet.',
  'no such follow-up': 'Uppföljningen finns inte.',
  'no such follow-up for your agency': 'Uppföljningen finns inte för din myndighet.',
  'no such alert': 'Larmet finns inte.',
  'no such alert for your agency': 'Larmet finns inte för din myndighet.',
  'unknown policy': 'Okänd policy.',
  'agencyId is required for every role but admin': 'Välj myndighet (krävs för alla roller utom administratör).',
};

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^the case is already in (\w+)$/, (m) => `Ärendet är redan i fasen ${label(PHASES, m[1]).toLowerCase()}.`],
  [/^(\w+) → (\w+) is not an allowed transition$/, (m) => `Övergången från ${label(PHASES, m[1]).toLowerCase()} till ${label(PHASES, m[2]).toLowerCase()} är inte tillåten.`],
  [/^the intervention is (\w+)$/, (m) => `Insatsen har status ”${label(INTERVENTION_STATUSES, m[1]).toLowerCase()}”.`],
  [/^the follow-up is already (\w+)$/, (m) => `Uppföljningen är redan ${label(FOLLOW_UP_STATUSES, m[1]).toLowerCase()}.`],
  [/^the alert is already (\w+)\.?$/i, (m) => `Larmet är redan ${label(ALERT_STATUSES, m[1]).toLowerCase()}.`],
  [/^only a coordinator may /, () => 'Bara en samordnare kan göra det.'],
  [/^Too small: expected string to have >=1 characters?$/, () => 'Fältet måste fyllas i.'],
  [/^Too small: expected array to have >=(\d+)/, (m) => `Välj minst ${m[1]}.`],
  [/^Too big: expected string to have <=(\d+)/, (m) => `Högst ${m[1]} tecken.`],
  [/^Too big: expected array to have <=(\d+)/, (m) => `Högst ${m[1]} val.`],
  [/^Invalid input: expected \w+, received undefined$/, () => 'Fältet måste fyllas i.'],
  [/^Invalid option/, () => 'Välj ett av alternativen.'],
  [/^Invalid (input|string|type)/i, () => 'Ogiltigt värde.'],
  [/^Required$/i, () => 'Fältet måste fyllas i.'],
];

/** The Swedish text of a message from the API or the domain rules. */
export function swedishMessage(message: string): string {
  const exact = EXACT[message] ?? EXACT[message.replace(/\.$/, '')];
  if (exact) return exact;
  for (const [re, to] of PATTERNS) {
    const m = re.exec(message);
    if (m) return to(m);
  }
  return message;
}
