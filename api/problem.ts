import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, ResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Rejection } from '../domain/rejection';

/**
 * RFC 7807 problem details, the one error shape of the API (`application/problem+json`).
 * Responses never carry a stack trace or an offending input value: field errors name the path
 * and the schema's message only.
 */

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export const problemFieldErrorSchema = z.object({
  path: z.string().meta({ description: 'Dotted path relative to the body, query or path parameters' }),
  message: z.string(),
});
export type ProblemFieldError = z.infer<typeof problemFieldErrorSchema>;

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(problemFieldErrorSchema).optional(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'RFC 7807 problem details (application/problem+json)' });

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

const SLUGS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  409: 'conflict',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable-entity',
  429: 'too-many-requests',
  500: 'internal-error',
  503: 'service-unavailable',
};

/** The problem `type` URI for a slug (`validation`, `not-found`…). */
export const problemType = (slug: string): string => `urn:glappfri:problem:${slug}`;

const defaultType = (status: number): string => problemType(SLUGS[status] ?? `http-${status}`);
const defaultTitle = (status: number): string => STATUS_CODES[status] ?? 'Error';

export interface ProblemInit {
  /** A `type` URI or a slug for {@link problemType}; defaults from the status. */
  type?: string;
  /** Extra response headers, e.g. `WWW-Authenticate`. */
  headers?: Record<string, string>;
  /** Extra members of the problem body (RFC 7807 extensions). */
  extensions?: Record<string, unknown>;
}

/**
 * Thrown by routes and hooks for an expected, client-facing failure
 * (400/401/403/404/409/503…). The global error handler renders it as problem+json.
 */
export class ProblemError extends Error {
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: ProblemFieldError[] | undefined;
  readonly type: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(status: number, title?: string, detail?: string, errors?: ProblemFieldError[], init: ProblemInit = {}) {
    const t = title ?? defaultTitle(status);
    super(detail ?? t);
    this.name = 'ProblemError';
    this.status = status;
    this.title = t;
    this.detail = detail ?? t;
    this.errors = errors && errors.length > 0 ? errors : undefined;
    this.type = init.type ? (init.type.includes(':') ? init.type : problemType(init.type)) : defaultType(status);
    this.headers = init.headers ?? {};
    this.extensions = init.extensions ?? {};
  }

  toProblem(): Problem {
    return {
      ...this.extensions,
      type: this.type,
      title: this.title,
      status: this.status,
      detail: this.detail,
      ...(this.errors ? { errors: this.errors } : {}),
    };
  }
}

export const isProblemError = (e: unknown): e is ProblemError => e instanceof ProblemError;

/** Shorthands for the statuses of the contract. */
export const problems = {
  badRequest: (detail: string, errors?: ProblemFieldError[]) =>
    new ProblemError(400, 'Invalid request', detail, errors, { type: 'validation' }),
  unauthorized: (detail = 'A valid bearer token is required.') =>
    new ProblemError(401, 'Unauthorized', detail, undefined, { headers: { 'www-authenticate': 'Bearer' } }),
  forbidden: (detail = 'Your role or agency is not allowed to do this.') => new ProblemError(403, 'Forbidden', detail),
  notFound: (detail = 'No such resource.') => new ProblemError(404, 'Not Found', detail),
  conflict: (detail: string) => new ProblemError(409, 'Conflict', detail),
  unavailable: (detail: string, extensions?: Record<string, unknown>) =>
    new ProblemError(503, 'Service Unavailable', detail, undefined, { extensions }),
};

/** Maps a domain rejection (`domain/rejection.ts`) to its HTTP problem. */
export function problemFromRejection(rejection: Rejection): ProblemError {
  switch (rejection.kind) {
    case 'invalid_input':
      return problems.badRequest(
        rejection.message,
        rejection.path ? [{ path: rejection.path, message: rejection.message }] : undefined,
      );
    case 'invalid_transition':
      return new ProblemError(409, 'Conflict', rejection.message, undefined, { type: 'invalid-transition' });
    case 'forbidden':
      return problems.forbidden(rejection.message);
    case 'not_found':
      return problems.notFound(rejection.message);
    case 'conflict':
      return problems.conflict(rejection.message);
  }
}

/** Writes a problem response; pre-serialised so no route response schema interferes. */
export function sendProblem(reply: FastifyReply, problem: Problem | ProblemError): FastifyReply {
  const body = problem instanceof ProblemError ? problem.toProblem() : problem;
  if (problem instanceof ProblemError) {
    for (const [name, value] of Object.entries(problem.headers)) reply.header(name, value);
  }
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

/** `/client/municipality` → `client.municipality`; `/needs/0` → `needs.0`. */
export function dottedPath(instancePath: string): string {
  return instancePath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const CONTEXT_NAMES: Record<string, string> = {
  body: 'request body',
  querystring: 'query string',
  params: 'path parameters',
  headers: 'request headers',
};

export interface SafeErrorLog {
  type: string;
  message: string;
  code?: string;
  stack?: string;
  issues?: { path: string; code: string }[];
}

/**
 * What of an error goes to the log: its class, message, code and stack, never its other
 * enumerable members (a driver error's `detail` may quote row values, a request's body…).
 */
export function safeErrorForLog(err: unknown): SafeErrorLog {
  if (!(err instanceof Error)) return { type: typeof err, message: 'non-error thrown' };
  const out: SafeErrorLog = { type: err.constructor?.name ?? err.name, message: err.message };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') out.code = code;
  if (err.stack) out.stack = err.stack;
  if (err instanceof ResponseSerializationError) {
    const cause = err.cause as { issues?: { path: PropertyKey[]; code: string }[] } | undefined;
    out.issues = (cause?.issues ?? []).map((i) => ({ path: i.path.map(String).join('.'), code: i.code }));
  }
  return out;
}

function isResponseSerialization(err: unknown): boolean {
  return (
    err instanceof ResponseSerializationError ||
    (typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'FST_ERR_RESPONSE_SERIALIZATION')
  );
}

/** Turns any error into the problem to send (and tells whether it is a server fault). */
export function problemFromError(error: unknown): { problem: ProblemError; serverFault: boolean } {
  if (error instanceof ProblemError) return { problem: error, serverFault: error.status >= 500 };

  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors = error.validation.map((v) => ({ path: dottedPath(v.instancePath), message: v.message ?? 'Invalid value' }));
    return {
      problem: problems.badRequest(`The ${CONTEXT_NAMES[context] ?? context} is invalid.`, errors),
      serverFault: false,
    };
  }

  if (isResponseSerialization(error)) {
    return { problem: new ProblemError(500, 'Internal Server Error', 'An unexpected error occurred.'), serverFault: true };
  }

  const fe = (typeof error === 'object' && error !== null ? error : {}) as Partial<FastifyError> & { type?: string };
  // Validation by a non-zod schema (fastify's own shape): keep path and message only.
  if (Array.isArray(fe.validation)) {
    const errors = fe.validation.map((v) => ({ path: dottedPath(v.instancePath ?? ''), message: v.message ?? 'Invalid value' }));
    const context = fe.validationContext ?? 'body';
    return { problem: problems.badRequest(`The ${CONTEXT_NAMES[context] ?? context} is invalid.`, errors), serverFault: false };
  }
  if (fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || (error instanceof SyntaxError && fe.statusCode === 400)) {
    return {
      problem: new ProblemError(400, 'Malformed request body', 'The request body is not valid JSON.', undefined, {
        type: 'malformed-body',
      }),
      serverFault: false,
    };
  }
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  if (status >= 400 && status < 500) {
    // Fastify's own 4xx errors (FST_*) have fixed messages; anything else gets the status text.
    const detail = typeof fe.code === 'string' && fe.code.startsWith('FST_') && fe.message ? fe.message : defaultTitle(status);
    return { problem: new ProblemError(status, defaultTitle(status), detail), serverFault: false };
  }
  if (status === 503) {
    return { problem: problems.unavailable('A dependency is unavailable; nothing was changed.'), serverFault: true };
  }
  return { problem: new ProblemError(500, 'Internal Server Error', 'An unexpected error occurred.'), serverFault: true };
}

/** Installs the global error handler and the 404 handler on the root instance. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { problem, serverFault } = problemFromError(error);
    if (serverFault) {
      request.log.error(
        { err: safeErrorForLog(error), method: request.method, route: request.routeOptions.url ?? null },
        'request failed',
      );
    }
    return sendProblem(reply, problem);
  });

  app.setNotFoundHandler((_request: FastifyRequest, reply: FastifyReply) =>
    sendProblem(reply, problems.notFound('No route matches this method and path.')),
  );
}
