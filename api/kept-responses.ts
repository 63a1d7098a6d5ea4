import type { FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import type { CaseState } from '../domain/case-state';
import { fold } from '../domain/evolve';
import type { CaseKeys } from '../store/case-keys';
import { readStream } from '../store/event-store';
import { toDomainEvent } from '../store/projections';
import { findAlert } from '../store/read-models';
import { openEvents } from '../store/sealed-events';
import { composeView, orUnavailable } from './case-service';
import type { ResponseStorage } from './idempotency';
import { problems } from './problem';

type Kept = { kept: 'case-view'; caseId: string; version: number } | { kept: 'alert'; caseId: string; alertId: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * Idempotency-Key responses are kept as references, never as the views themselves (which hold
 * the client's name and what people typed): a case view as its case and version, an alert as
 * its id. A retry gets the view composed again, of the case as it was at that version, for the
 * caller as they may see it now; the row holds nothing personal and goes when the case is erased.
 */
export function keptResponses(deps: { pool: Pool; keys: CaseKeys }): ResponseStorage {
  return {
    shrink(_request, _status, response) {
      if (!isObject(response) || typeof response.caseId !== 'string') return { response };
      if (typeof response.alertId === 'string') {
        return { response: { kept: 'alert', caseId: response.caseId, alertId: response.alertId } satisfies Kept, caseId: response.caseId };
      }
      if (typeof response.version === 'number') {
        return { response: { kept: 'case-view', caseId: response.caseId, version: response.version } satisfies Kept, caseId: response.caseId };
      }
      return { response };
    },

    async expand(request: FastifyRequest, record) {
      const kept = record.response as Kept | unknown;
      if (!isObject(kept) || typeof kept.kept !== 'string') return record.response;
      const k = kept as Kept;
      if (k.kept === 'alert') return orUnavailable(() => findAlert(deps.pool, k.alertId));
      const state = await orUnavailable(() => stateAt(deps, k.caseId, k.version));
      if (!state || !request.principal) throw problems.notFound('No such case.');
      return composeView(deps, state, request.principal);
    },
  };
}

/** The case as it was right after `version`, from its own log. */
async function stateAt(deps: { pool: Pool; keys: CaseKeys }, caseId: string, version: number): Promise<CaseState | undefined> {
  const events = (await readStream(deps.pool, caseId)).filter((e) => e.version <= version);
  return fold((await openEvents(deps.pool, deps.keys, events)).map(toDomainEvent));
}
