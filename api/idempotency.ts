import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import type { IdempotencyRecord, IdempotencyStore } from '../store/idempotency';
import { ProblemError, problems, safeErrorForLog } from './problem';

/**
 * `Idempotency-Key` on POST: a retry with the same key and the same request returns the first
 * (2xx) response with `Idempotent-Replayed: true` and runs nothing; the same key with another
 * request is a 409. Keys are scoped per authenticated user (`principal.sub`); routes without
 * authentication are not covered. Opt a route out with `config: { idempotency: false }`.
 *
 * The check runs as the last preHandler of every POST route (after authentication and
 * authorisation); the response is stored in `onSend`, before it leaves, so a retry that follows
 * a received response always finds it.
 */

/**
 * What of a response is kept to answer a retry, and how the answer is made again from it: the
 * domain keeps a reference (case and version) instead of a view holding the client's name and
 * texts, and composes the view at replay. Without it the whole response is kept.
 */
export interface ResponseStorage {
  shrink(request: FastifyRequest, status: number, response: unknown): { response: unknown; caseId?: string };
  expand(request: FastifyRequest, record: IdempotencyRecord): Promise<unknown>;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotent-replayed';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** JSON with sorted keys: the same data gives the same text whatever the key order. */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return JSON.stringify(sortKeys(plain));
}

/** What makes two requests "the same": method, route, path parameters, query and body. */
export function requestHash(request: FastifyRequest): string {
  const material = canonicalJson({
    method: request.method,
    route: request.routeOptions.url ?? request.url,
    params: request.params ?? null,
    query: request.query ?? null,
    body: request.body ?? null,
  });
  return createHash('sha256').update(material).digest('hex');
}

interface Pending {
  key: string;
  userId: string;
  hash: string;
}

function replay(reply: FastifyReply, record: IdempotencyRecord): FastifyReply {
  reply.code(record.status).header(REPLAYED_HEADER, 'true');
  if (record.status === 204 || record.response === null || record.response === undefined) return reply.send();
  if (typeof record.response === 'string') return reply.type('text/plain; charset=utf-8').send(record.response);
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(record.response));
}

export interface IdempotencyOptions {
  store: IdempotencyStore;
}

/** Installs the onRoute/onSend hooks on the root instance; call before routes are registered. */
export function installIdempotency(app: FastifyInstance, { store }: IdempotencyOptions): void {
  const pending = new WeakMap<FastifyRequest, Pending>();
  const inFlight = new Set<string>();

  const slots = new WeakMap<FastifyRequest, string>();
  const release = async (request: FastifyRequest) => {
    const slot = slots.get(request);
    if (slot !== undefined) {
      slots.delete(request);
      inFlight.delete(slot);
    }
  };

  async function checkIdempotency(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | void> {
    const raw = request.headers[IDEMPOTENCY_HEADER];
    if (raw === undefined) return;
    if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
      throw problems.badRequest('The Idempotency-Key header must be 1 to 255 visible ASCII characters.', [
        { path: IDEMPOTENCY_HEADER, message: 'Invalid Idempotency-Key' },
      ]);
    }
    request.idempotencyKey = raw;
    const principal = request.principal;
    if (!principal) return; // not scoped to a user: not covered

    const hash = requestHash(request);
    const slot = JSON.stringify([principal.sub, raw]);
    if (inFlight.has(slot)) {
      throw new ProblemError(409, 'Conflict', 'A request with this Idempotency-Key is still being processed.', undefined, {
        type: 'idempotency-in-progress',
      });
    }
    inFlight.add(slot);
    slots.set(request, slot);

    let found: IdempotencyRecord | null;
    try {
      found = await store.find(raw, principal.sub);
    } catch (err) {
      await release(request);
      request.log.error({ err: safeErrorForLog(err) }, 'idempotency store lookup failed');
      throw problems.unavailable('The idempotency store is unavailable; nothing was changed.');
    }
    if (found) {
      await release(request);
      if (found.requestHash !== hash) {
        throw new ProblemError(
          409,
          'Conflict',
          'This Idempotency-Key was already used for a different request.',
          undefined,
          { type: 'idempotency-key-reused' },
        );
      }
      // A replay shows data again: it is authorised (and logged) like a fresh request, so a
      // caller who has lost access since gets the refusal, not the stored response.
      if (request.server.replayGuard) await request.server.replayGuard(request, found);
      const storage = request.server.responseStorage;
      return replay(reply, storage ? { ...found, response: await storage.expand(request, found) } : found);
    }
    pending.set(request, { key: raw, userId: principal.sub, hash });
  }

  app.decorateRequest('idempotencyKey', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = ([] as string[]).concat(route.method);
    if (!methods.includes('POST')) return;
    if ((route.config as { idempotency?: boolean } | undefined)?.idempotency === false) return;
    const existing = route.preHandler ? ([] as unknown[]).concat(route.preHandler) : [];
    route.preHandler = [...existing, checkIdempotency] as RouteOptions['preHandler'];
  });

  app.addHook('onResponse', release);
  app.addHook('onRequestAbort', release);

  app.addHook('onSend', async (request, reply, payload) => {
    const p = pending.get(request);
    if (!p) return payload;
    pending.delete(request);
    if (reply.statusCode < 200 || reply.statusCode >= 300) return payload;

    let response: unknown;
    if (payload === null || payload === undefined || payload === '') response = null;
    else if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
      const text = payload.toString();
      const type = String(reply.getHeader('content-type') ?? '');
      if (/json/i.test(type)) {
        try {
          response = JSON.parse(text);
        } catch {
          response = text;
        }
      } else response = text;
    } else {
      return payload; // a stream cannot be replayed
    }
    try {
      const kept = request.server.responseStorage?.shrink(request, reply.statusCode, response) ?? { response };
      await store.save(p.key, p.userId, p.hash, reply.statusCode, kept.response, kept.caseId);
    } catch (err) {
      request.log.warn({ err: safeErrorForLog(err) }, 'idempotency record not saved');
    }
    return payload;
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Checks, before a stored response is replayed, that the caller may still see it; throws a problem if not. */
    replayGuard?: (request: FastifyRequest, record: IdempotencyRecord) => Promise<void>;
    /** How responses are kept for replay (api/case-service.ts); whole when absent. */
    responseStorage?: ResponseStorage;
  }
  interface FastifyRequest {
    /** The request's valid `Idempotency-Key`, if any: usable as a Temporal update/request id. */
    idempotencyKey: string | null;
  }
  interface FastifyContextConfig {
    /** `false` exempts a POST route from Idempotency-Key handling. */
    idempotency?: boolean;
  }
}
