import { survivalAt } from '../../domain/survival';
import type { LeadTime } from './types';

/** The horizons the Prognos page reads off each curve: done within two weeks, within a month. */
export const HORIZONS = [14, 30] as const;

/**
 * The share of work done within `days` of assignment: 1 − S(days) from the Kaplan–Meier curve,
 * or from the prior (exponential with the prior's median, as domain/forecast.ts has it) when
 * there were too few observations.
 */
export function doneWithin(item: LeadTime, days: number): number | null {
  if (item.basis === 'prior') return item.medianDays == null ? null : 1 - Math.pow(0.5, days / item.medianDays);
  return 1 - survivalAt({ steps: item.curve, observations: item.observations, completed: item.completed, horizon: 0 }, days);
}
