import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { canSeeCase } from '../domain/access';
import { agenciesNeeded } from '../domain/agencies-needed';
import type { Person } from '../domain/schemas/actor';
import { authorize } from '../domain/authorization';
import type { CaseState } from '../domain/case-state';
import { caseView } from '../domain/case-view';
import type { Command } from '../domain/schemas/commands';
import { maskPersonalIdentityNumber } from '../domain/personal-identity-number';
import { listAgencies } from '../store/agencies';
import { CaseErasedError, type CaseKeys } from '../store/case-keys';
import { clientIdentity } from '../store/client-identities';
import { caseState } from '../store/read-models';
import type { CommandRequest } from '../workflows/messages';
import type { Principal } from './auth';
import { CaseNotReadBack } from './case-after-command';
import { CommandRejected, DependencyUnavailable, type JourneyClient } from './journey-client';
import { problemFromRejection, problems } from './problem';
import { auditRead } from './read-audit';

export const toPerson = (p: Principal): Person => ({ sub: p.sub, role: p.role, agencyId: p.agencyId });

/** A stable id for a request that carries an Idempotency-Key, so even a lost reply retries safely. */
export function requestIdOf(request: FastifyRequest, principal: Principal, scope: string): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return randomUUID();
  return requestIdFor(principal.sub, scope, key);
}

/** The request id of a person's Idempotency-Key on one route (`POST /v1/cases/…/meetings`). */
export function requestIdFor(sub: string, scope: string, key: string): string {
  const h = createHash('sha256').update(`${sub}\n${scope}\n${key}`).digest('hex');
  // Shaped as a UUID so it can double as a case id.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const PG_DOWN = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i;

/** Turns "a dependency is down" into a 503 that says what a retry may find. */
export async function orUnavailable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    // The command may have been recorded after all (its answer lost on the way back): the case
    // reconciles with its log, and the same Idempotency-Key then gets the applied answer.
    if (err instanceof DependencyUnavailable) {
      throw problems.unavailable(`${err.message}; retry with the same Idempotency-Key: a change that was recorded after all is then answered as applied, never made twice`);
    }
    // Unlike the others, the change was made: only the case cannot be shown yet.
    if (err instanceof CaseNotReadBack) throw problems.unavailable('the change was recorded, but the case cannot be read back yet; read it again shortly');
    if (err instanceof CommandRejected) throw problemFromRejection(err.rejection);
    if (err instanceof CaseErasedError) throw problems.conflict('This case has been erased.');
    const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
    if (PG_DOWN.test(text)) throw problems.unavailable('the database is unreachable; nothing was changed, try again');
    throw err;
  }
}

/** The contract's CaseView: the case's rules' view plus the client's identity, masked. */
export async function composeView(deps: { pool: Pool; keys: CaseKeys }, state: CaseState, principal: Principal) {
  const identity = await clientIdentity(deps.pool, deps.keys, state.caseId);
  const view = caseView(state, new Date().toISOString(), principal);
  return {
    ...view,
    client: {
      name: identity?.name ?? '',
      municipality: view.client.municipality,
      ...(identity?.personalIdentityNumber && principal.role !== 'agency'
        ? { personalIdentityNumber: maskPersonalIdentityNumber(identity.personalIdentityNumber) }
        : {}),
    },
  };
}

/**
 * The case as the caller may see it, or 404: to anyone whose agency has no relation to the
 * client that lets them see it (domain/access.ts) the case does not exist, rather than being
 * forbidden, which would reveal that the client exists.
 */
export async function visibleCase(pool: Pool, caseId: string, principal: Principal): Promise<CaseState> {
  const state = await orUnavailable(() => caseState(pool, caseId));
  if (!state || !canSeeCase(state, principal)) throw problems.notFound('No such case.');
  return state;
}

/**
 * Before a stored response to a command is replayed (Idempotency-Key): the case it shows must
 * still be visible to the caller, and showing it again is logged like any read.
 */
export function replayGuard(pool: Pool) {
  return async (request: FastifyRequest, record: { status: number; response: unknown }): Promise<void> => {
    const principal = request.principal;
    if (!principal || record.status >= 300) return;
    const fromPath = (request.params as { caseId?: string } | undefined)?.caseId;
    const caseId = fromPath ?? (record.response as { caseId?: unknown } | null)?.caseId;
    if (typeof caseId !== 'string') return;
    await visibleCase(pool, caseId, principal);
    await auditRead(request, pool, [caseId], 'command', { status: record.status });
  };
}

/** Sends one command to the case's workflow and answers with the new CaseView. */
export async function runCommand(
  deps: { pool: Pool; journeys: JourneyClient; keys: CaseKeys },
  request: FastifyRequest,
  principal: Principal,
  caseId: string,
  command: Command,
) {
  const state = await visibleCase(deps.pool, caseId, principal);
  // The relationship rules apply to every case here, also to runs begun before the case's
  // own rules knew them (workflows/client-journey.ts ACCESS_FOLLOWS_RELATIONSHIP).
  const denied = authorize(state, command, toPerson(principal));
  if (denied) throw problemFromRejection(denied);
  if (state.phase === 'avslutad' && command.type !== 'acknowledge_alert') throw problems.conflict('The case is closed.');
  const directory = await orUnavailable(() => listAgencies(deps.pool));
  const actor = toPerson(principal);
  const req: CommandRequest = {
    requestId: requestIdOf(request, principal, `${request.method} ${request.url}`),
    command,
    actor,
    // The update is kept in the case's history for good: only what its decision can look at.
    directory: agenciesNeeded(state, command, actor, directory),
  };
  const result = await orUnavailable(() => deps.journeys.send(caseId, req));
  const view = await composeView(deps, result.state, principal);
  await auditRead(request, deps.pool, [caseId], 'command', { changed: true });
  return view;
}
