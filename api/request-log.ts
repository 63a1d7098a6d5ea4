import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { LogController } from 'fastify';
import type { Env } from '../config/env';
import { safeErrorForLog, type SafeErrorLog } from './problem';

/**
 * Structured JSON request logs (pino, fastify's own). One line per request: method, route
 * pattern, status, duration and request id. Never a body, a query string, a concrete path (it
 * may hold personal data) or an authorization header.
 */

export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** A pino destination: anything with `write(line)`. */
export interface LogDestination {
  write(msg: string): void;
}

/** The caller's `x-request-id` when it is a sane token, else a fresh UUID. */
export function requestIdFor(req: IncomingMessage): string {
  const given = req.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && REQUEST_ID_PATTERN.test(given) ? given : randomUUID();
}

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
];

function pickSafe(value: unknown): SafeErrorLog {
  const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    type: str(v.type) ?? 'unknown',
    message: str(v.message) ?? '',
    ...(str(v.code) ? { code: str(v.code) } : {}),
    ...(str(v.stack) ? { stack: str(v.stack) } : {}),
    ...(Array.isArray(v.issues) ? { issues: v.issues as SafeErrorLog['issues'] } : {}),
  };
}

/** Fastify constructor options for logging and request ids. */
export function loggingOptions(env: Env, destination?: LogDestination): FastifyServerOptions {
  return {
    logger: {
      level: env.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        // Should anything log a request or reply object: method and route pattern only.
        req: (req) => ({ method: req.method, route: req.routeOptions?.url ?? null }),
        res: (res) => ({ statusCode: res.statusCode }),
        // Class, message, code and stack only: never an error's other members (a driver's
        // `detail` may quote row values). Already-reduced objects keep the same fields only.
        err: (err: unknown) => {
          const safe = err instanceof Error ? safeErrorForLog(err) : pickSafe(err);
          return { ...safe, stack: safe.stack ?? '' };
        },
      },
      ...(destination ? { stream: destination } : {}),
    },
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: requestIdFor,
  };
}

/** Echoes the request id and writes the one completion line per request. */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 100) / 100,
      },
      'request completed',
    );
  });
}
