import { openApiDocument } from './api-docs';

/**
 * `npm run -s lint:openapi [-- --json]`: the OpenAPI document the API serves, linted with
 * Redocly's `recommended` rules. Prints each problem (or, with --json, one JSON line with the
 * counts and problems, for test/api-framework/openapi-lint.test.ts); exits 1 on any error.
 * A separate process because @redocly/openapi-core is ESM only and jest runs CommonJS.
 */

export interface LintOutcome {
  errors: number;
  warnings: number;
  problems: { severity: string; ruleId: string; message: string; where: string }[];
}

export async function lintOpenApi(): Promise<LintOutcome> {
  const { createConfig, lintFromString } = await import('@redocly/openapi-core');
  const doc = await openApiDocument();
  const config = await createConfig({ extends: ['recommended'] });
  const found = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
  const problems = found.map((p) => ({
    severity: p.severity,
    ruleId: p.ruleId,
    message: p.message,
    where: p.location.map((l) => l.pointer ?? '').join(' '),
  }));
  return {
    errors: problems.filter((p) => p.severity === 'error').length,
    warnings: problems.filter((p) => p.severity === 'warn').length,
    problems,
  };
}

if (require.main === module) {
  lintOpenApi().then((r) => {
    if (process.argv.includes('--json')) console.log(JSON.stringify(r));
    else {
      for (const p of r.problems) console.log(`${p.severity.padEnd(5)} ${p.ruleId}: ${p.message} (${p.where})`);
      console.log(`${r.errors} errors, ${r.warnings} warnings (Redocly recommended)`);
    }
    process.exit(r.errors > 0 ? 1 : 0);
  }, (err: unknown) => {
    console.error(err);
    process.exit(2);
  });
}
