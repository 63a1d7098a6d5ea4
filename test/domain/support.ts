import { forecastEvents, type PredictedGap } from '../../domain/predicted-gaps';
import { FORECAST } from '../../domain/system-actor';
/**
 * Given / when / then for the pure domain: a history of events, one command with its context,
 * and either the events it records or the kind of rejection. Everything here is deterministic:
 * fixed clock, fixed agency directory, fixed people.
 */
import type { Person } from '../../domain/schemas/actor';
import type { Agency } from '../../domain/schemas/agency';
import type { CaseState } from '../../domain/case-state';
import type { Command, CommandContext, CommandOf } from '../../domain/schemas/commands';
import { decide, type Decision } from '../../domain/decide';
import type { DomainEvent, EventType } from '../../domain/schemas/events';
import { evolve, fold } from '../../domain/evolve';
import { defaultPolicyBody, policyBodySchema, type PolicyBody, type PolicyInput } from '../../domain/schemas/policy';
import type { Rejection, RejectionKind } from '../../domain/rejection';
import { dueActions } from '../../domain/schedule';

// ── time ────────────────────────────────────────────────────────────────────────────────────
export const DAY = 24 * 60 * 60 * 1000;
export const iso = (ms: number) => new Date(ms).toISOString();
/** `t` moved by `days` (may be fractional or negative). */
export const plusDays = (t: string, days: number) => iso(Date.parse(t) + days * DAY);
export const plusSeconds = (t: string, s: number) => iso(Date.parse(t) + s * 1000);

export const ADMITTED = '2027-01-01T00:00:00.000Z';
/** The clock most commands run at: before every default deadline (plan due 31 Jan). */
export const NOW = '2027-01-10T08:00:00.000Z';
export const RELEASE = '2027-06-01T00:00:00.000Z';

// ── the agency directory (municipality 1480 = Göteborg, 1401 = Härryda, 0180 = Stockholm) ──
export const directory: Agency[] = [
  { agencyId: 'kvv', type: 'kriminalvarden', name: 'Kriminalvården', municipalities: ['*'] },
  { agencyId: 'sot-1480', type: 'socialtjansten', name: 'Socialtjänsten Göteborg', municipalities: ['1480'] },
  { agencyId: 'sot-1401', type: 'socialtjansten', name: 'Socialtjänsten Härryda', municipalities: ['1401'] },
  { agencyId: 'reg-vg', type: 'regionen', name: 'Västra Götalandsregionen', municipalities: ['1480', '1401'] },
  { agencyId: 'reg-sthlm', type: 'regionen', name: 'Region Stockholm', municipalities: ['0180'] },
  { agencyId: 'af', type: 'arbetsformedlingen', name: 'Arbetsförmedlingen', municipalities: ['*'] },
  { agencyId: 'kfm', type: 'kronofogden', name: 'Kronofogden', municipalities: ['*'] },
  { agencyId: 'frv-gbg', type: 'frivarden', name: 'Frivården Göteborg', municipalities: ['1480'] },
  { agencyId: 'frv-boras', type: 'frivarden', name: 'Frivården Borås', municipalities: ['1490'] },
  { agencyId: 'ngo', type: 'ideell', name: 'Stadsmissionen', municipalities: ['1480'] },
];
/** Everybody the default policy needs in municipality 1480 (housing, care, work, debts, probation). */
export const FULL_CONSENT = ['sot-1480', 'reg-vg', 'af', 'kfm', 'frv-gbg'];

// ── people ──────────────────────────────────────────────────────────────────────────────────
export const coordinator: Person = { sub: 'coord-1', role: 'coordinator', agencyId: 'kvv', name: 'Samordnare' };
export const officer = (agencyId: string): Person => ({ sub: `officer-${agencyId}`, role: 'agency', agencyId });
export const supervisor = (agencyId: string): Person => ({ sub: `chef-${agencyId}`, role: 'supervisor', agencyId });
export const admin: Person = { sub: 'admin-1', role: 'admin', agencyId: null };

export const ctx = (actor: Person = coordinator, now: string = NOW, dir: Agency[] = directory): CommandContext => ({
  now,
  actor,
  directory: dir,
});

// ── policies ────────────────────────────────────────────────────────────────────────────────
export const policy = (body: PolicyBody = defaultPolicyBody, version = 1) => ({ policyId: 'default', version, body });
export const customPolicy = (input: Partial<PolicyInput>): PolicyBody =>
  policyBodySchema.parse({
    requirements: [],
    followUps: { high: ['P1D', 'P7D', 'P14D', 'P30D', 'P60D', 'P100D'], medium: ['P7D', 'P30D', 'P100D'], low: ['P30D', 'P100D'] },
    ...input,
  });

// ── commands ────────────────────────────────────────────────────────────────────────────────
export type OpenCase = CommandOf<'open_case'>;
export function openCase(overrides: Partial<OpenCase> = {}): OpenCase {
  return {
    type: 'open_case',
    caseId: 'case-1',
    client: { municipality: '1480' },
    phase: 'anstalt',
    admittedAt: ADMITTED,
    expectedReleaseAt: RELEASE,
    riskLevel: 'medium',
    needs: [],
    consent: { agencyIds: [...FULL_CONSENT] },
    policy: policy(),
    ...overrides,
  };
}

/** An open_case in häkte with no release date yet (häkte is the only phase that may lack one). */
export function openInHakte(overrides: Partial<OpenCase> = {}): OpenCase {
  const { expectedReleaseAt: _none, ...cmd } = openCase({ phase: 'hakte', ...overrides });
  return cmd;
}

export function mustDecide(state: CaseState | undefined, command: Command, c: CommandContext = ctx()): DomainEvent[] {
  const d = decide(state, command, c);
  if (!d.ok) throw new Error(`${command.type} rejected: ${d.rejection.kind} ${d.rejection.message} ${d.rejection.path ?? ''}`);
  return d.events;
}

/** The events of a freshly opened case. */
export function opened(overrides: Partial<OpenCase> = {}, c: CommandContext = ctx()): DomainEvent[] {
  return mustDecide(undefined, openCase(overrides), c);
}

/** A freshly opened case under the case rules of December 2026 (domain/rules.ts), as the workflow opens one now. */
export function openedUnderRules2(overrides: Partial<OpenCase> = {}, c: CommandContext = ctx()): DomainEvent[] {
  return [...opened(overrides, c), { type: 'RulesAdopted', data: { rules: 2 }, occurredAt: c.now, actor: { system: 'schedule' } }];
}

/** A forecast (domain/predicted-gaps.ts) at `at`, as the forecast refresh sends it to the case. */
export interface ForecastStep { forecast: PredictedGap[]; at: string }
export type Step = Command | [Command, CommandContext] | { tick: string } | ForecastStep;

/** A history built the way the product builds one: every command decided on the state so far. */
export function history(start: DomainEvent[], ...steps: Step[]): DomainEvent[] {
  const events = [...start];
  let state = fold(events);
  for (const step of steps) {
    let next: DomainEvent[];
    if ('tick' in step) next = dueActions(state!, step.tick);
    else if ('forecast' in step) {
      next = forecastEvents(state!, step.forecast, step.at).map((d) => ({ type: d.type, data: d.data, occurredAt: step.at, actor: FORECAST }) as DomainEvent);
    }
    else if (Array.isArray(step)) next = mustDecide(state, step[0], step[1]);
    else next = mustDecide(state, step);
    for (const e of next) state = evolve(state, e);
    events.push(...next);
  }
  return events;
}

export const stateOf = (events: readonly DomainEvent[]): CaseState => {
  const s = fold(events);
  if (!s) throw new Error('no case in this history');
  return s;
};

/** Decides one command on a state and applies what it records; fails the test on a rejection. */
export function apply(s: CaseState, command: Command, c: CommandContext = ctx()): CaseState {
  return mustDecide(s, command, c).reduce<CaseState>((acc, e) => evolve(acc, e), s);
}

/** Applies the schedule at `now` to a state; returns the new state and what was recorded. */
export function tick(s: CaseState, now: string): { state: CaseState; events: DomainEvent[] } {
  const events = dueActions(s, now);
  return { state: events.reduce<CaseState>((acc, e) => evolve(acc, e), s), events };
}

// ── given / when / then ─────────────────────────────────────────────────────────────────────
export interface ExpectedEvent {
  type: EventType;
  data: unknown;
}

export interface WhenResult {
  decision: Decision;
  /** The state before the command. */
  before: CaseState | undefined;
  /** Asserts the recorded events (type and data, in order) and returns the state after them. */
  then(expected: ExpectedEvent[]): CaseState;
  /** Asserts a rejection of this kind (and, when given, this path); returns the rejection. */
  then(kind: RejectionKind, path?: string): Rejection;
  /** The recorded events; fails the test when the command was rejected. */
  events(): DomainEvent[];
  /** The state after the recorded events. */
  after(): CaseState;
}

export function given(...histories: (DomainEvent[] | DomainEvent)[]) {
  const events = histories.flat();
  const before = fold(events);
  return {
    state: before,
    when(command: Command, c: CommandContext = ctx()): WhenResult {
      const decision = decide(before, command, c);
      const okEvents = (): DomainEvent[] => {
        if (!decision.ok) {
          throw new Error(`expected events, got ${decision.rejection.kind}: ${decision.rejection.message} (${decision.rejection.path ?? '-'})`);
        }
        return decision.events;
      };
      const after = () => okEvents().reduce<CaseState>((s, e) => evolve(s, e), before as CaseState);
      function then(expected: ExpectedEvent[]): CaseState;
      function then(kind: RejectionKind, path?: string): Rejection;
      function then(expected: ExpectedEvent[] | RejectionKind, path?: string): CaseState | Rejection {
        if (typeof expected === 'string') {
          if (decision.ok) throw new Error(`expected ${expected}, got events ${decision.events.map((e) => e.type).join(', ') || '(none)'}`);
          expect(decision.rejection.kind).toBe(expected);
          expect(decision.rejection.message).toEqual(expect.any(String));
          if (path !== undefined) expect(decision.rejection.path).toBe(path);
          return decision.rejection;
        }
        const recorded = okEvents();
        expect(recorded.map((e) => ({ type: e.type, data: e.data }))).toEqual(expected);
        for (const e of recorded) {
          expect(e.occurredAt).toBe(c.now);
          expect(e.actor).toEqual(c.actor);
        }
        return after();
      }
      return { decision, before, then, events: okEvents, after };
    },
  };
}

/** Short-hand for expected events. */
export const ev = <T extends EventType>(type: T, data: Extract<DomainEvent, { type: T }>['data']): ExpectedEvent => ({ type, data });

/** Types of the recorded events, e.g. for a quick look at the shape of a decision. */
export const types = (events: readonly DomainEvent[]) => events.map((e) => e.type);
export const ofType = <T extends EventType>(events: readonly DomainEvent[], type: T) =>
  events.filter((e): e is Extract<DomainEvent, { type: T }> => e.type === type);
