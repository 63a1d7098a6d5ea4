import type { Phase } from './schemas/vocabulary';

/** DOMAIN.md's path. Any phase may also close (`avslutad`) with a reason. */
const ALLOWED: Record<Phase, readonly Phase[]> = {
  hakte: ['anstalt', 'avslutad'],
  anstalt: ['utslussning', 'frigiven', 'avslutad'],
  utslussning: ['anstalt', 'frigiven', 'avslutad'],
  frigiven: ['avslutad', 'hakte'],
  avslutad: [],
};

export function isAllowedTransition(from: Phase, to: Phase): boolean {
  return ALLOWED[from].includes(to);
}
