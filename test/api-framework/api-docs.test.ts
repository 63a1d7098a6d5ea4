import { readFileSync } from 'node:fs';
import { API_DOCS_PATH, apiMarkdown } from '../../scripts/api-docs';

test('docs/api.md is the contract the API serves now (npx tsx scripts/api-docs.ts rewrites it)', async () => {
  const md = await apiMarkdown();
  expect(md).toContain('## POST /v1/cases/{caseId}/transfer');
  expect(md).toContain('## GET /v1/cases/{caseId}/access-log');
  expect(readFileSync(API_DOCS_PATH, 'utf8')).toBe(md);
});
