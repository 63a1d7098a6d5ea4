import type { Actor, Person } from './schemas/actor';

export function isPerson(actor: Actor): actor is Person {
  return 'sub' in actor;
}
