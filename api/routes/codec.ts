import cors from '@fastify/cors';
import { parse as parseCookies, serialize as serializeCookie } from 'cookie';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { EncryptionCodec } from '../../config/payload-codec';
import { parsePayloadKeys } from '../../config/payload-keys';
import { principalOf, requireRole } from '../auth';
import { CODEC_BODY_LIMIT_BYTES } from '../http-limits';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { auditRead } from '../read-audit';

export interface CodecDeps {
  pool: Pool;
  payloadKeys: string | undefined;
  /** Origins (the Temporal Web UI's) allowed to call the codec from a browser: CODEC_CORS_ORIGINS. */
  corsOrigins: string[];
}

export const CODEC_COOKIE = 'glappfri_codec';
/** An operator's decoding session lasts an hour at most (and never beyond the token's own expiry). */
const CODEC_SESSION_SECONDS = 3600;

/** A payload as Temporal's remote codec protocol sends it: JSON with base64 bytes. */
const payloadJsonSchema = z.object({
  metadata: z.record(z.string(), z.string().max(10_000)).optional(),
  data: z.string().max(4_000_000).optional(),
});
const payloadsSchema = z.object({ payloads: z.array(payloadJsonSchema).max(10_000) });
type PayloadJson = z.infer<typeof payloadJsonSchema>;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
function fromJson(p: PayloadJson, n: number): Payload {
  const bytes = (s: string, where: string) => {
    if (!BASE64.test(s)) throw problems.badRequest('not base64', [{ path: `payloads.${n}.${where}`, message: 'not base64' }]);
    return new Uint8Array(Buffer.from(s, 'base64'));
  };
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, bytes(v, `metadata.${k}`)])),
    data: bytes(p.data ?? '', 'data'),
  };
}
const toJson = (p: Payload): PayloadJson => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/**
 * Temporal's remote codec protocol (`POST /codec/decode`, `/codec/encode`), so that the Temporal
 * Web UI (`--ui-codec-endpoint`) and `temporal workflow show --codec-endpoint … --codec-auth
 * "Bearer …"` show decoded payloads to operators; everyone else sees ciphertext. Decoded
 * payloads hold what people typed about a client: every call is logged like a read.
 */
export const codecRoutes: FastifyPluginAsyncZod<CodecDeps> = async (app, { pool, payloadKeys, corsOrigins }) => {
  const codec: PayloadCodec = new EncryptionCodec(parsePayloadKeys(payloadKeys));
  // The Temporal Web UI calls from its own origin; only the origins configured may read answers.
  await app.register(cors, {
    origin: corsOrigins.length > 0 ? corsOrigins : false,
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-namespace', 'caller-type', 'client-name', 'client-version'],
    maxAge: 600,
  });
  // The Web UI cannot send this API's tokens; with "include cross-origin credentials" on, it
  // sends the operator's codec session cookie instead, which stands for the bearer token.
  app.addHook('onRequest', async (request) => {
    const fromCookie = request.headers.cookie ? parseCookies(request.headers.cookie)[CODEC_COOKIE] : undefined;
    if (!request.headers.authorization && fromCookie) request.headers.authorization = `Bearer ${fromCookie}`;
  });

  app.post('/codec/session', {
    onRequest: requireRole('operator'),
    config: { idempotency: false },
    schema: {
      tags: ['operations'],
      summary: "Start an operator's codec session: a cookie (HttpOnly, SameSite=Strict, path /codec) that lets the Temporal Web UI decode payloads",
      response: { 204: z.null(), ...problemResponses(401, 403) },
    },
  }, async (request, reply) => {
    principalOf(request);
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    reply.header('set-cookie', serializeCookie(CODEC_COOKIE, token, {
      path: '/codec', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', maxAge: CODEC_SESSION_SECONDS,
    }));
    return reply.code(204).send(null);
  });
  app.delete('/codec/session', {
    schema: { tags: ['operations'], summary: "End the codec session (removes the cookie)", response: { 204: z.null() } },
  }, async (_request, reply) =>
    reply.header('set-cookie', serializeCookie(CODEC_COOKIE, '', { path: '/codec', httpOnly: true, sameSite: 'strict', maxAge: 0 })).code(204).send(null));

  for (const op of ['decode', 'encode'] as const) {
    app.post(`/codec/${op}`, {
      onRequest: requireRole('operator'),
      // A batch of payloads is bigger than any other body (api/http-limits.ts).
      bodyLimit: CODEC_BODY_LIMIT_BYTES,
      config: { idempotency: false, audit: true },
      schema: {
        tags: ['operations'],
        summary: op === 'decode' ? "Decrypt Temporal payloads (Temporal's remote codec protocol), for operators" : 'Encrypt Temporal payloads with the current key, for operators',
        body: payloadsSchema,
        response: { 200: payloadsSchema, ...problemResponses(400, 401, 403, 503) },
      },
    }, async (request) => {
      principalOf(request);
      const payloads = request.body.payloads.map(fromJson);
      let out: Payload[];
      try {
        out = op === 'decode' ? await codec.decode(payloads) : await codec.encode(payloads);
      } catch (err) {
        throw problems.badRequest(`the payloads could not be ${op}d: ${(err as Error).message}`, [{ path: 'payloads', message: (err as Error).message }]);
      }
      // Logged before anything decoded leaves; no case id: a payload does not say whose it is.
      await auditRead(request, pool, [''], op === 'decode' ? 'codec-decode' : 'codec-encode');
      return { payloads: out.map(toJson) };
    });
  }
};
