import { ApplicationFailure, log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { isPerson } from '../domain/actor';
import { EVENT_SCHEMA_VERSION } from '../domain/schemas/events';
import { CaseErasedError, type CaseKeys } from '../store/case-keys';
import { ConcurrencyConflict, appendToStream, readStream } from '../store/event-store';
import { projectEvents, toDomainEvent } from '../store/projections';
import { SEALED_V1, openEvents, sealData } from '../store/sealed-events';
import type { AppendRequest, JourneyActivities, Notification } from './types';

export interface ActivityDeps {
  pool: Pool;
  /** Each case's key, which seals the texts of its events. */
  keys: CaseKeys;
  /** Channels (webhooks, e-mail) plug in here; the read model already holds every alert. */
  deliver?: (batch: Notification[]) => Promise<void>;
  /** Fans the batch out to the agencies' subscribed webhooks and e-mail (activities/delivery). */
  dispatch?: (batch: Notification[]) => Promise<void>;
}

export function createActivities(deps: ActivityDeps): JourneyActivities {
  return {
    /** Idempotent on (case, version): a retried activity finds its events already there. */
    async appendEvents(req: AppendRequest) {
      try {
        const dataKey = await deps.keys.forWriting(deps.pool, req.caseId);
        const result = await appendToStream(
          deps.pool,
          {
            streamId: req.caseId,
            expectedVersion: req.expectedVersion,
            events: req.events.map((e) => ({
              type: e.type,
              schemaVersion: EVENT_SCHEMA_VERSION,
              data: sealData(dataKey, e.type, e.data),
              occurredAt: e.occurredAt,
              metadata: {
                // Only what identifies the official; never the client, never free text.
                actor: isPerson(e.actor) ? { sub: e.actor.sub, role: e.actor.role, agencyId: e.actor.agencyId } : e.actor,
                ...(req.requestId ? { requestId: req.requestId } : {}),
                workflowRunId: req.workflowRunId,
                sealed: SEALED_V1,
              },
            })),
          },
          // The read models are built from the texts as typed; only the log holds them sealed.
          (tx, appended) => projectEvents(tx, appended.map((stored, i) => ({ ...stored, data: req.events[i]!.data }))),
        );
        return { version: result.version, duplicate: result.duplicate };
      } catch (err) {
        if (err instanceof CaseErasedError) throw ApplicationFailure.nonRetryable(err.message, 'CaseErased');
        if (err instanceof ConcurrencyConflict) {
          throw ApplicationFailure.nonRetryable(err.message, 'ConcurrencyConflict');
        }
        throw err;
      }
    },

    /**
     * An append whose answer was lost (committed, then the activity timed out or its worker died,
     * and its retries ran out) leaves the log ahead of the workflow: the log is the truth, and
     * this is how the workflow reads what it missed.
     */
    async eventsAfter(req: { caseId: string; afterVersion: number }) {
      const stored = await readStream(deps.pool, req.caseId, req.afterVersion + 1);
      const opened = await openEvents(deps.pool, deps.keys, stored);
      const requestIds = [...new Set(opened.map((e) => e.metadata.requestId).filter((id): id is string => typeof id === 'string'))];
      return { events: opened.map(toDomainEvent), requestIds };
    },

    async deliverNotifications(batch: Notification[]) {
      for (const n of batch) {
        // Ids, kinds and levels only: a log line must never identify the client.
        log.info('notification', { kind: n.kind, caseId: n.caseId, agencyId: n.agencyId, id: n.id, level: n.level, alertKind: n.alertKind });
      }
      if (deps.dispatch) await deps.dispatch(batch);
      if (deps.deliver) await deps.deliver(batch);
    },
  };
}
