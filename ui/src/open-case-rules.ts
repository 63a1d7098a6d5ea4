import { z } from 'zod';
import type { Person } from '../../domain/schemas/actor';
import type { Agency } from '../../domain/schemas/agency';
import { openCaseBodySchema } from '../../domain/schemas/open-case-body';
import { decide } from '../../domain/decide';
import type { PinnedPolicy } from '../../domain/schemas/policy';
import { swedishMessage } from './messages';

/*
 * The open-case form is checked with the API's own rules before it is sent: the body schema of
 * `POST /v1/cases` (the very schema the API validates with) and then the domain's `decide`,
 * which the API runs before it opens a case. Whatever is refused here would be refused by the
 * API, with the same field paths.
 */
export type OpenCaseBody = z.input<typeof openCaseBodySchema>;

export interface FieldProblem {
  /** Dotted path in the body, as in problem+json `errors[].path` (`client.municipality`). */
  path: string;
  message: string;
}

export interface OpenCaseContext {
  actor: Person;
  directory: readonly Agency[];
  /** The policy the case would pin; without it only the schema is checked (the API checks the rest). */
  policy: PinnedPolicy | null;
  now?: string;
}

/** The problems the API would report for this body, in Swedish; empty when it would accept it. */
export function validateOpenCase(body: unknown, ctx: OpenCaseContext): FieldProblem[] {
  const parsed = openCaseBodySchema.safeParse(body);
  if (!parsed.success) {
    return parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: swedishMessage(i.message) }));
  }
  if (!ctx.policy) return [];
  const { client, policyId: _policyId, ...fields } = parsed.data;
  const decision = decide(
    undefined,
    { type: 'open_case', ...fields, caseId: 'utkast', client: { municipality: client.municipality }, policy: ctx.policy },
    { now: ctx.now ?? new Date().toISOString(), actor: ctx.actor, directory: [...ctx.directory] },
  );
  if (decision.ok) return [];
  return [{ path: decision.rejection.path ?? '', message: swedishMessage(decision.rejection.message) }];
}

/** The field a problem belongs to: the longest of `fields` that is the path or a prefix of it. */
export function fieldOf(path: string, fields: readonly string[]): string | null {
  let best: string | null = null;
  for (const f of fields) {
    if ((path === f || path.startsWith(`${f}.`)) && (!best || f.length > best.length)) best = f;
  }
  return best;
}
