import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../../scripts/api-docs';
import type { LintOutcome } from '../../scripts/lint-openapi';

/*
 * The OpenAPI document the API serves passes Redocly's `recommended` rules without errors. The
 * lint runs in a child process (scripts/lint-openapi.ts): @redocly/openapi-core is ESM only.
 */

const ROOT = path.resolve(__dirname, '../..');

test('the OpenAPI document has no errors under Redocly recommended', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/lint-openapi.ts', '--json'], { cwd: ROOT })
    .catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }));
  const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!) as LintOutcome;
  console.log(`OpenAPI lint (Redocly recommended): ${outcome.errors} errors, ${outcome.warnings} warnings`);
  expect(outcome.problems.filter((p) => p.severity === 'error')).toEqual([]);
}, 120_000);

test('every operation declares its security, an operationId and 4xx problems; 429 and 413 where they can happen', async () => {
  const doc = (await openApiDocument()) as {
    servers?: unknown[];
    paths: Record<string, Record<string, { operationId?: string; security?: unknown[]; responses: Record<string, { headers?: Record<string, unknown> }>; requestBody?: unknown }>>;
  };
  expect(doc.servers?.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const [url, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const where = `${method.toUpperCase()} ${url}`;
      expect({ where, security: Array.isArray(op.security) }).toEqual({ where, security: true });
      expect(op.operationId && !ids.has(op.operationId)).toBeTruthy();
      ids.add(op.operationId!);
      if (!['/healthz', '/readyz', '/metrics'].includes(url)) {
        expect({ where, has429: '429' in op.responses }).toEqual({ where, has429: true });
        expect(op.responses['429']!.headers).toHaveProperty('Retry-After');
      }
      if (op.requestBody) expect({ where, has413: '413' in op.responses }).toEqual({ where, has413: true });
    }
  }
  expect(doc.paths['/healthz']!.get!.security).toEqual([]);
  expect(doc.paths['/v1/cases']!.get!.security).toEqual([{ bearerAuth: [] }]);
});
