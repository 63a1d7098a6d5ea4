import type { Payload, PayloadCodec } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Pool } from 'pg';
import { z } from 'zod';
import { EncryptionCodec } from '../../config/payload-codec';
import { parsePayloadKeys } from '../../config/payload-keys';
import { principalOf, requireRole } from '../auth';
import { problemResponses } from '../openapi';
import { problems } from '../problem';
import { auditRead } from '../read-audit';

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
export const codecRoutes: FastifyPluginAsyncZod<{ pool: Pool; payloadKeys: string | undefined }> = async (app, { pool, payloadKeys }) => {
  const codec: PayloadCodec = new EncryptionCodec(parsePayloadKeys(payloadKeys));
  for (const op of ['decode', 'encode'] as const) {
    app.post(`/codec/${op}`, {
      onRequest: requireRole('operator'),
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
