import { createHash, randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { Person } from '../domain/actor';
import type { CaseState } from '../domain/case-state';
import { caseView } from '../domain/case-view';
import type { Command } from '../domain/commands';
import { maskPersonalIdentityNumber } from '../domain/personal-identity-number';
import { listAgencies } from '../store/agencies';
import { clientIdentity } from '../store/client-identities';
import { caseState } from '../store/read-models';
import type { CommandRequest } from '../workflows/messages';
import type { Principal } from './auth';
import { CommandRejected, DependencyUnavailable, type JourneyClient } from './journey-client';
import { problemFromRejection, problems } from './problem';

export const toPerson = (p: Principal): Person => ({ sub: p.sub, role: p.role, agencyId: p.agencyId });

/** A stable id for a request that carries an Idempotency-Key, so even a lost reply retries safely. */
export function requestIdOf(request: FastifyRequest, principal: Principal, scope: string): string {
  const key = request.headers['idempotency-key'];
  if (typeof key !== 'string' || key === '') return randomUUID();
  const h = createHash('sha256').update(`${principal.sub}\n${scope}\n${key}`).digest('hex');
  // Shaped as a UUID so it can double as a case id.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

const PG_DOWN = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|timeout exceeded when trying to connect|the database system is (starting|shutting) up/i;

/** Turns "a dependency is down" into a 503 that promises nothing changed. */
export async function orUnavailable<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof DependencyUnavailable) throw problems.unavailable(`${err.message}; nothing was changed, try again`);
    if (err instanceof CommandRejected) throw problemFromRejection(err.rejection);
    const text = `${(err as { code?: string })?.code ?? ''} ${(err as Error)?.message ?? ''}`;
    if (PG_DOWN.test(text)) throw problems.unavailable('the database is unreachable; nothing was changed, try again');
    throw err;
  }
}

/** The contract's CaseView: the case's rules' view plus the client's identity, masked. */
export async function composeView(pool: Pool, state: CaseState, principal: Principal) {
  const identity = await clientIdentity(pool, state.caseId);
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
 * The case as the caller may see it, or 404: an agency without the client's consent is told
 * the case does not exist rather than that it may not see it.
 */
export async function visibleCase(pool: Pool, caseId: string, principal: Principal): Promise<CaseState> {
  const state = await orUnavailable(() => caseState(pool, caseId));
  if (!state) throw problems.notFound('No such case.');
  if (principal.role === 'agency' && !state.consent.agencyIds.includes(principal.agencyId ?? '')) {
    throw problems.notFound('No such case.');
  }
  return state;
}

/** Sends one command to the case's workflow and answers with the new CaseView. */
export async function runCommand(
  deps: { pool: Pool; journeys: JourneyClient },
  request: FastifyRequest,
  principal: Principal,
  caseId: string,
  command: Command,
) {
  const state = await visibleCase(deps.pool, caseId, principal);
  if (state.phase === 'avslutad') throw problems.conflict('The case is closed.');
  const directory = await orUnavailable(() => listAgencies(deps.pool));
  const req: CommandRequest = {
    requestId: requestIdOf(request, principal, `${request.method} ${request.url}`),
    command,
    actor: toPerson(principal),
    directory,
  };
  const result = await orUnavailable(() => deps.journeys.send(caseId, req));
  return composeView(deps.pool, result.state, principal);
}
