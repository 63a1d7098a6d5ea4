import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * `Cache-Control: no-store` on every API answer (`/v1/…`, `/codec/…`), problems and 404s
 * included: nearly all of them carry personal data or depend on who asks, and telling which do
 * route by route is a mistake waiting to happen (a shared browser, a proxy keeping a copy). No
 * exceptions, not even the figures of `/v1/metrics/summary`: nothing gains from caching them.
 * The web interface's files, `/docs` and the probes set their own.
 */

const API_PREFIXES = ['/v1', '/codec'];

export function isApiPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return API_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
}

export function installCachePolicy(app: FastifyInstance): void {
  // onSend: also after an error handler or a route set its own header; last word is this one.
  app.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    if (isApiPath(request.url)) reply.header('cache-control', 'no-store');
    return payload;
  });
}
