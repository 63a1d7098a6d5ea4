import type { Agency } from '../domain/schemas/agency';
import type { AgencyType, Area } from '../domain/schemas/vocabulary';

/** A lead-time distribution in days: log-normal, because most work is quick and some takes very long. */
export interface LeadTime {
  medianDays: number;
  sigma: number;
}

/**
 * A lead-time distribution measured from the log (simulation/measured.ts): a Kaplan–Meier curve,
 * as plain data so that a world can be sent to a worker thread.
 */
export interface MeasuredLeadTime {
  /** S just after each completion time, in increasing order of `days` (decreasing `survival`). */
  steps: { days: number; survival: number }[];
  /**
   * The longest time observed, completed or not. The share the curve leaves undone (the last
   * step's `survival`, or 1 without a step) is drawn beyond it: see `sampleLeadTime`.
   */
  horizonDays: number;
  observations: number;
  completed: number;
  /** Where S first reaches one half; null when it never does (the median then lies in the tail). */
  medianDays: number | null;
}

/** How one agency answers in the simulation. */
export interface AgencyBehaviour {
  /** Days from the moment it starts on a task to completing it, by need area (`*`: any other). */
  leadTimes: Partial<Record<Area | '*', LeadTime>>;
  /**
   * Measured lead times by need area, used instead of `leadTimes` where present; `leadTimes`
   * still gives the tail beyond the measured curve. Absent in the given world.
   */
  measured?: Partial<Record<Area, MeasuredLeadTime>>;
  /**
   * Share of tasks the agency only starts on when reminded (or, without a reminder, when the task
   * is overdue): deadlines move work only where work waits for them, and this is where it does.
   */
  startsWhenReminded: number;
  /** Share of clients who do not let this agency in (the client's consent leaves it out). */
  consentDeclined: number;
}

export interface World {
  directory: Agency[];
  behaviour: Record<string, AgencyBehaviour>;
  /** Kommunkod and weight: where released clients live. */
  municipalities: readonly (readonly [string, number])[];
  coordinatorAgencyId: string;
  /** Frivården: share of follow-ups done by their due time; the others are done 1–7 days late. */
  followUpsOnTime: number;
  /** Median days before a supervisor acknowledges an alert. */
  acknowledgeMedianDays: number;
  /**
   * How long one of the world's days lasts, in milliseconds (a day when absent). With a policy
   * in seconds and `dayMs: 1000`, a case's whole path takes a minute of real time: what the
   * fidelity test (test/simulation/fidelity.test.ts) runs through the real workflows.
   */
  dayMs?: number;
  /**
   * When given, every answer (a command someone sends) is given at the first moment at or after
   * the one drawn that lies on this grid (`atMs + k · everyMs`). The fidelity test puts answers
   * halfway between the schedule's moments, so that timing jitter in a real run cannot swap a
   * command and a deadline.
   */
  answerGrid?: { everyMs: number; atMs: number };
}

const ALL = '*';
const sot = (code: string, name: string): Agency => ({ agencyId: `sot-${code}`, type: 'socialtjansten', name: `Socialtjänsten ${name}`, municipalities: [code] });
const frv = (code: string, name: string): Agency => ({ agencyId: `frv-${code}`, type: 'frivarden', name: `Frivården ${name}`, municipalities: [code] });

/** Where the released live: the largest municipalities, weighted roughly by population. */
const PLACES = [['0180', 'Stockholm', 30], ['1480', 'Göteborg', 20], ['1280', 'Malmö', 15], ['0380', 'Uppsala', 8],
  ['0580', 'Linköping', 7], ['1880', 'Örebro', 7], ['1980', 'Västerås', 7], ['2480', 'Umeå', 6]] as const;

const typical: Record<AgencyType, AgencyBehaviour> = {
  socialtjansten: { leadTimes: { boende: { medianDays: 21, sigma: 0.7 }, forsorjning: { medianDays: 6, sigma: 0.6 }, [ALL]: { medianDays: 10, sigma: 0.6 } }, startsWhenReminded: 0.4, consentDeclined: 0.04 },
  regionen: { leadTimes: { [ALL]: { medianDays: 12, sigma: 0.7 } }, startsWhenReminded: 0.3, consentDeclined: 0.08 },
  arbetsformedlingen: { leadTimes: { [ALL]: { medianDays: 9, sigma: 0.5 } }, startsWhenReminded: 0.5, consentDeclined: 0.05 },
  kronofogden: { leadTimes: { [ALL]: { medianDays: 20, sigma: 0.6 } }, startsWhenReminded: 0.2, consentDeclined: 0.1 },
  frivarden: { leadTimes: { [ALL]: { medianDays: 3, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0 },
  kriminalvarden: { leadTimes: { [ALL]: { medianDays: 5, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0 },
  forsakringskassan: { leadTimes: { [ALL]: { medianDays: 14, sigma: 0.5 } }, startsWhenReminded: 0.3, consentDeclined: 0.05 },
  polisen: { leadTimes: { [ALL]: { medianDays: 7, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0.05 },
  lansstyrelsen: { leadTimes: { [ALL]: { medianDays: 14, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0.05 },
  ideell: { leadTimes: { [ALL]: { medianDays: 7, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0.1 },
  naringsliv: { leadTimes: { [ALL]: { medianDays: 14, sigma: 0.5 } }, startsWhenReminded: 0, consentDeclined: 0.1 },
};

function defaultWorldOf(): World {
  const directory: Agency[] = [
    { agencyId: 'kvv', type: 'kriminalvarden', name: 'Kriminalvården', municipalities: [ALL] },
    ...PLACES.map(([code, name]) => sot(code, name)),
    { agencyId: 'reg-sthlm', type: 'regionen', name: 'Region Stockholm', municipalities: ['0180'] },
    { agencyId: 'reg-vg', type: 'regionen', name: 'Västra Götalandsregionen', municipalities: ['1480'] },
    { agencyId: 'reg-skane', type: 'regionen', name: 'Region Skåne', municipalities: ['1280'] },
    { agencyId: 'reg-mitt', type: 'regionen', name: 'Regionerna i Mellansverige', municipalities: ['0380', '0580', '1880', '1980'] },
    { agencyId: 'reg-vb', type: 'regionen', name: 'Region Västerbotten', municipalities: ['2480'] },
    { agencyId: 'af', type: 'arbetsformedlingen', name: 'Arbetsförmedlingen', municipalities: [ALL] },
    { agencyId: 'kfm', type: 'kronofogden', name: 'Kronofogden', municipalities: [ALL] },
    ...PLACES.map(([code, name]) => frv(code, name)),
  ];
  const behaviour: Record<string, AgencyBehaviour> = {};
  for (const a of directory) behaviour[a.agencyId] = typical[a.type];
  // The big city's housing queue is longer, and Malmö's social services work to the deadline.
  behaviour['sot-0180'] = { ...typical.socialtjansten, leadTimes: { ...typical.socialtjansten.leadTimes, boende: { medianDays: 32, sigma: 0.7 } } };
  behaviour['sot-1280'] = { ...typical.socialtjansten, startsWhenReminded: 0.7 };
  behaviour['reg-sthlm'] = { ...typical.regionen, leadTimes: { [ALL]: { medianDays: 18, sigma: 0.7 } } };
  return {
    directory, behaviour, municipalities: PLACES.map(([code, , w]) => [code, w] as const), coordinatorAgencyId: 'kvv',
    followUpsOnTime: 0.9, acknowledgeMedianDays: 1.5,
  };
}

/** Given distributions, for a what-if without a log to measure them from. */
export const defaultWorld: World = defaultWorldOf();

export function leadTimeOf(b: AgencyBehaviour, area: Area): LeadTime {
  return b.leadTimes[area] ?? b.leadTimes[ALL] ?? { medianDays: 14, sigma: 0.6 };
}
