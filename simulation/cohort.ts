import type { Agency } from '../domain/schemas/agency';
import { DAY_MS } from '../domain/duration';
import type { Area, RiskLevel } from '../domain/schemas/vocabulary';
import { chance, pick, substream, uniform } from './random';
import type { World } from './world';

/** One released client as the cohort has them: everything the case starts with. */
export interface Client {
  index: number;
  municipality: string;
  riskLevel: RiskLevel;
  needs: Area[];
  admittedAt: number;
  releaseAt: number;
  consent: string[];
}

/**
 * The shape of a year's releases. Brå (seeds/000): 6,731 released from prison in 2013; clients
 * need support in about three areas at once (addiction in about 60 % of new admissions, mental
 * ill-health common); 24 % of them reoffended at least ten times in three years, taken here as
 * the high-risk share. Time served is not in the seed: the mix below is an assumption to vary.
 */
export interface CohortShape {
  releases: number;
  /** The year releases fall in, spread evenly over it. */
  year: number;
  risk: readonly (readonly [RiskLevel, number])[];
  /** Probability of each need; the sum is the mean number of areas per client. */
  needs: Partial<Record<Area, number>>;
  /** Days served before release: ranges and their weights. */
  served: readonly (readonly [readonly [number, number], number])[];
}

export const bråShape: CohortShape = {
  releases: 6731,
  year: 2027,
  risk: [['high', 24], ['medium', 46], ['low', 30]],
  needs: { missbruk: 0.6, psykisk_halsa: 0.45, boende: 0.55, sysselsattning: 0.5, forsorjning: 0.5, skulder: 0.45 },
  served: [[[30, 90], 35], [[90, 365], 35], [[365, 1460], 30]],
};

const serving = (directory: readonly Agency[], municipality: string) =>
  directory.filter((a) => a.municipalities.includes(municipality) || a.municipalities.includes('*'));

/** The cohort, the same for the same seed whatever the policy: both sides of a what-if get the same people. */
export function generateCohort(shape: CohortShape, world: World, seed: number): Client[] {
  const start = Date.UTC(shape.year, 0, 1);
  const yearMs = Date.UTC(shape.year + 1, 0, 1) - start;
  const clients: Client[] = [];
  for (let index = 0; index < shape.releases; index++) {
    const r = substream(seed, 1, index);
    // Whole minutes, as a coordinator would enter them.
    const releaseAt = Math.floor((start + r.next() * yearMs) / 60_000) * 60_000;
    const [lo, hi] = pick(r, shape.served);
    const admittedAt = releaseAt - Math.round(uniform(r, lo, hi)) * DAY_MS;
    const municipality = pick(r, world.municipalities);
    const needs = (Object.entries(shape.needs) as [Area, number][]).filter(([, p]) => chance(r, p)).map(([a]) => a);
    const consent = serving(world.directory, municipality)
      .filter((a) => a.agencyId !== world.coordinatorAgencyId && !chance(r, world.behaviour[a.agencyId]?.consentDeclined ?? 0))
      .map((a) => a.agencyId);
    clients.push({ index, municipality, riskLevel: pick(r, shape.risk), needs, admittedAt, releaseAt, consent });
  }
  return clients;
}
