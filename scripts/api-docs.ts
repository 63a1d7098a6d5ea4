import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { readCaseFrom } from '../api/case-after-command';
import { JourneyClient } from '../api/journey-client';
import { createMemoryIdempotencyStore } from '../store/idempotency';
import { registerDomainRoutes } from '../api/routes';
import { buildServer } from '../api/server';
import { newDevSecret } from '../config/dev-auth';
import { loadEnv } from '../config/env';
import { newPayloadKeys } from '../config/payload-keys';

/**
 * docs/api.md, the HTTP contract as the product implements it, generated from the OpenAPI
 * document (itself generated from the routes' zod schemas). `npx tsx scripts/api-docs.ts`
 * rewrites it; test/api-framework/api-docs.test.ts fails when it is out of date.
 */
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[]; description?: string; anyOf?: Schema[]; $ref?: string; nullable?: boolean };
type Operation = {
  summary?: string; description?: string; tags?: string[];
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
};

function typeOf(s: Schema | undefined): string {
  if (!s) return 'any';
  if (s.$ref) return s.$ref.split('/').pop()!;
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `${typeOf(s.items)}[]`;
  const t = Array.isArray(s.type) ? s.type.join(' \\| ') : s.type ?? 'object';
  return s.nullable ? `${t} \\| null` : t;
}

function fields(s: Schema | undefined): string[] {
  if (!s?.properties) return [];
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties).map(([name, p]) =>
    `| \`${name}\` | ${typeOf(p)} | ${required.has(name) ? 'yes' : ''} | ${(p.description ?? '').replace(/\n/g, ' ')} |`);
}

/** The OpenAPI document the API serves at `/openapi.json`, built without any service running. */
export async function openApiDocument(): Promise<Record<string, unknown>> {
  // Nothing is called: the routes only need clients to exist to be registered.
  const env = loadEnv({ AUTH_MODE: 'dev', AUTH_DEV_SECRET: newDevSecret(), LOG_LEVEL: 'silent', PAYLOAD_KEYS: newPayloadKeys('docs'), MASTER_KEYS: newPayloadKeys('docs-master') });
  const pool = new Pool({ connectionString: 'postgres://127.0.0.1:1/none' });
  const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
  const app = await buildServer({
    env, pool, temporal: client, idempotency: createMemoryIdempotencyStore(),
    checks: { temporal: async () => undefined, postgres: async () => undefined },
    registerRoutes: (a) => registerDomainRoutes(a, { pool, journeys: new JourneyClient(client, env.TEMPORAL_TASK_QUEUE, readCaseFrom(pool)) }),
  });
  await app.ready();
  const doc = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  await pool.end();
  return doc;
}

export async function apiMarkdown(): Promise<string> {
  const doc = (await openApiDocument()) as { paths: Record<string, Record<string, Operation>> };

  const out: string[] = [
    '# HTTP API',
    '',
    'Generated from the OpenAPI document the API serves at `/openapi.json` (itself generated from the',
    'zod schemas that validate every request): `npx tsx scripts/api-docs.ts` rewrites this file, and a',
    'test fails when it is out of date. The interactive reference is at `/docs` on a running API.',
    '',
    'Conventions: `Authorization: Bearer <JWT>` on every route but the operational ones; errors are',
    '`application/problem+json` with `errors[].path` naming the offending field; every POST honours',
    '`Idempotency-Key`; a refused request changes nothing; `POST /v1/dev/tokens` exists only with `AUTH_MODE=dev`. Who may see which client is in the README',
    '("Who may see a client: the access model"): a case the caller may not see is 404, never 403.',
    '',
  ];
  for (const [route, methods] of Object.entries(doc.paths).sort(([a], [b]) => a.localeCompare(b))) {
    for (const [method, op] of Object.entries(methods)) {
      out.push(`## ${method.toUpperCase()} ${route}`, '');
      if (op.summary) out.push(op.summary, '');
      if (op.description) out.push(op.description, '');
      const params = (op.parameters ?? []).filter((p) => p.in !== 'header');
      if (params.length) {
        out.push('| parameter | in | type | required |', '| --- | --- | --- | --- |');
        for (const p of params) out.push(`| \`${p.name}\` | ${p.in} | ${typeOf(p.schema)} | ${p.required ? 'yes' : ''} |`);
        out.push('');
      }
      const body = op.requestBody?.content?.['application/json']?.schema;
      const rows = fields(body);
      if (rows.length) out.push('Body:', '', '| field | type | required | note |', '| --- | --- | --- | --- |', ...rows, '');
      const statuses = Object.entries(op.responses ?? {}).map(([code, r]) => `${code}${r.description ? ` (${r.description})` : ''}`);
      if (statuses.length) out.push(`Answers: ${statuses.join(' · ')}.`, '');
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export const API_DOCS_PATH = path.resolve(__dirname, '../docs/api.md');

if (require.main === module) {
  apiMarkdown().then((md) => {
    writeFileSync(API_DOCS_PATH, md);
    console.log(`${path.relative(process.cwd(), API_DOCS_PATH)}: ${md.split('\n').length} lines`);
    process.exit(0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
