import { randomUUID } from 'node:crypto';
import type { Agency, AgencyContact } from '../domain/schemas/agency';
import type { Person } from '../domain/schemas/actor';
import type { Command } from '../domain/schemas/commands';
import { policyBodySchema, type PolicyInput } from '../domain/schemas/policy';
import type { CommandRequest } from '../workflows/messages';

export const directory: Agency[] = [
  { agencyId: 'kvv-gbg', type: 'kriminalvarden', name: 'Kriminalvården Göteborg', municipalities: ['*'] },
  { agencyId: 'sot-1480', type: 'socialtjansten', name: 'Socialtjänsten Göteborg', municipalities: ['1480'] },
  { agencyId: 'reg-vg', type: 'regionen', name: 'Västra Götalandsregionen', municipalities: ['1480', '1401'] },
  { agencyId: 'af', type: 'arbetsformedlingen', name: 'Arbetsförmedlingen', municipalities: ['*'] },
  { agencyId: 'frv-gbg', type: 'frivarden', name: 'Frivården Göteborg', municipalities: ['1480'] },
];
/** How to reach the agencies (invented numbers and addresses), registered beside the directory. */
export const contacts: Record<string, AgencyContact> = {
  'kvv-gbg': { phone: '010-000 00 01', email: 'samordning.goteborg@kvv.example.se' },
  'sot-1480': { phone: '031-000 00 02', email: 'socialtjansten@goteborg.example.se' },
};
export const coordinator: Person = { sub: 'coord-1', role: 'coordinator', agencyId: 'kvv-gbg' };
export const social: Person = { sub: 'sot-officer', role: 'agency', agencyId: 'sot-1480' };
export const probation: Person = { sub: 'frv-officer', role: 'agency', agencyId: 'frv-gbg' };
export const supervisorOf = (agencyId: string): Person => ({ sub: `sup-${agencyId}`, role: 'supervisor', agencyId });

/** A policy in seconds, so that a whole path runs in a test's time. */
export const fastPolicy = (overrides: Partial<PolicyInput> = {}) =>
  policyBodySchema.parse({
    requirements: [
      { area: 'boende', appliesWhen: 'always', agencyType: 'socialtjansten', requiredBeforeRelease: true, dueBeforeRelease: 'PT20S', title: 'Bostad ordnad' },
    ],
    reminders: ['PT4S'],
    escalation: { level2After: 'PT3S' },
    followUps: { high: ['PT2S', 'PT4S'], medium: ['PT3S'], low: ['PT5S'] },
    milestones: { planAdoptedWithin: 'P30D', successorNamedBeforeRelease: 'PT1S', meetingBeforeRelease: 'PT1S' },
    ...overrides,
  });

export const inSeconds = (s: number, from = Date.now()) => new Date(from + s * 1000).toISOString();

export function request(command: Command, actor: Person = coordinator): CommandRequest {
  return { requestId: randomUUID(), command, actor, directory };
}

export function openCommand(opts: { caseId?: string; releaseInSeconds?: number; policy?: ReturnType<typeof fastPolicy>; riskLevel?: 'low' | 'medium' | 'high'; needs?: string[] } = {}): Command & { type: 'open_case' } {
  return {
    type: 'open_case',
    caseId: opts.caseId ?? randomUUID(),
    client: { municipality: '1480' },
    phase: 'anstalt',
    admittedAt: inSeconds(-3600),
    expectedReleaseAt: inSeconds(opts.releaseInSeconds ?? 60),
    riskLevel: opts.riskLevel ?? 'high',
    needs: (opts.needs ?? []) as never,
    consent: { agencyIds: ['sot-1480', 'reg-vg', 'af', 'frv-gbg'] },
    policy: { policyId: 'test', version: 1, body: opts.policy ?? fastPolicy() },
  };
}
