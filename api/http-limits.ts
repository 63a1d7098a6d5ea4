import type { FastifyServerOptions } from 'fastify';

/**
 * Request limits of the API's HTTP server, set deliberately rather than left to Node's and
 * Fastify's defaults. A body past its limit is refused with a 413 problem before it is read
 * (Content-Length) or as soon as it grows past it (chunked), so nobody can make the process
 * buffer and parse more than this.
 */

const MiB = 1024 * 1024;

/** Every JSON body of the contract is a few KiB; a whole plan or policy stays far below 1 MiB. */
export const BODY_LIMIT_BYTES = 1 * MiB;

/**
 * `POST /codec/decode|encode` carry the Temporal Web UI's batches of base64 payloads (a history
 * page of them): Temporal refuses a single payload above 2 MB, so a few of them must fit.
 */
export const CODEC_BODY_LIMIT_BYTES = 8 * MiB;

/**
 * The whole request (headers and body) must have arrived within this: a client trickling a body
 * byte by byte does not keep a socket and its buffer forever. 8 MiB at 30 s is ≈ 280 KB/s.
 * (Node's headersTimeout, 60 s by default, is capped by it.) Responses are not limited by it:
 * the alert stream stays open.
 */
export const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A socket with no traffic either way for this long is closed. Longer than any answer takes
 * (readiness gives up after 2 s, a command waits for its workflow) and than the alert stream's
 * 15 s heartbeat.
 */
export const CONNECTION_TIMEOUT_MS = 120_000;

/**
 * How long an idle keep-alive connection stays open between requests. Longer than the idle
 * timeout of the usual load balancers (60 s), so that the balancer closes first and never sends
 * a request on a socket this server is just closing (a 502 otherwise).
 */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000;

/** The Fastify constructor options above. */
export function httpLimitOptions(): Pick<FastifyServerOptions, 'bodyLimit' | 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> {
  return {
    bodyLimit: BODY_LIMIT_BYTES,
    requestTimeout: REQUEST_TIMEOUT_MS,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
  };
}
