import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** Where `scripts/build-ui.ts` puts the built web interface. */
export const UI_DIST_DIR = path.resolve(__dirname, 'dist');

/** Paths the API owns: the UI never answers for them, not even with its SPA fallback. */
const RESERVED = ['/v1', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Its security headers (a strict Content-Security-Policy: the built UI has no inline script or
// style) are the API's own, on every response: api/security-headers.ts.

const NOT_BUILT = `<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Glappfri</title></head>
<body><main><h1>Webbgränssnittet är inte byggt</h1>
<p>Kör <code>npm run build:ui</code> (eller <code>npm start</code>, som bygger det) och ladda om sidan.</p></main></body></html>`;

const isReserved = (p: string) => RESERVED.some((r) => p === r || p.startsWith(`${r}/`));

/** A browser asking for a page (not a script asking for JSON) gets the app for any unknown path. */
function wantsHtml(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  return !accept || accept.includes('text/html') || accept.includes('*/*');
}

async function fileStat(file: string) {
  try {
    const s = await stat(file);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Serves the built web interface (`ui/dist`) at `/`: its files with their content types, and
 * `index.html` for any other page path (client-side routing). Never shadows the API: `/v1/…`,
 * `/docs`, `/openapi.json`, `/metrics`, `/healthz` and `/readyz` stay the API's own, and an
 * unknown path there is still the API's 404 problem.
 */
export const webUiRoutes: FastifyPluginAsync<{ distDir?: string }> = async (app, opts) => {
  const root = path.resolve(opts.distDir ?? UI_DIST_DIR);

  const send = async (reply: FastifyReply, file: string, cache: string) => {
    const body = await readFile(file);
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return reply.code(200).headers({ 'content-type': type, 'cache-control': cache }).send(body);
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let pathname: string;
    try {
      pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      return reply.callNotFound();
    }
    if (isReserved(pathname) || pathname.includes('\0')) return reply.callNotFound();
    const relative = path.posix.normalize(pathname).replace(/^\/+/, '');
    const file = path.resolve(root, relative);
    if (file !== root && !file.startsWith(root + path.sep)) return reply.callNotFound();

    if (relative !== '' && relative !== 'index.html' && (await fileStat(file))) {
      // Vite names assets by content hash: they never change under the same name.
      const immutable = relative.startsWith('assets/');
      return send(reply, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    }
    // A missing file is a 404; an unknown page path is the app's to route.
    if (path.posix.extname(relative) !== '' && relative !== 'index.html') return reply.callNotFound();
    if (!wantsHtml(request)) return reply.callNotFound();
    const index = path.join(root, 'index.html');
    if (!(await fileStat(index))) {
      return reply.code(503).headers({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).send(NOT_BUILT);
    }
    return send(reply, index, 'no-cache');
  };

  // Not rate-limited: a whole office behind one address loads these few files at nine o'clock,
  // and they are read from disk, never computed.
  const route = { schema: { hide: true }, config: { idempotency: false, rateLimit: false as const } };
  app.get('/', route, handler);
  app.get('/*', route, handler);
};
