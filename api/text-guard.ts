import type { FastifyInstance } from 'fastify';
import { problems } from './problem';

/**
 * PostgreSQL stores no NUL character (in `text` nor in `jsonb`) and no unpaired UTF-16
 * surrogate (in `jsonb`; `\ud800` is refused). Such text would pass the schemas and then fail
 * at the database: a 500, or a 503 after the workflow's append retries. Refused here instead,
 * as a 400 naming the field, before anything runs. Keys are checked too (policy bodies keep
 * unknown members).
 */

const NUL = '\u0000';
const MESSAGE = 'must not contain NUL characters or unpaired surrogates';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes(NUL) || LONE_SURROGATE.test(s);

/** The path of the first string (or key) that cannot be stored, or null. Iterative: no depth limit. */
export function firstUnstorableText(root: unknown): (string | number)[] | null {
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value: root, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (unstorable(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: [...path, i] });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      // eslint-disable-next-line no-control-regex -- NUL is exactly what PostgreSQL cannot store
      for (const [key] of entries) if (unstorable(key)) return [...path, key.replace(/[\u0000\ud800-\udfff]/g, '?')];
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: [...path, entries[i]![0]] });
    }
  }
  return null;
}

/** Installs the check as a preValidation hook for every route registered after it. */
export function installTextGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const parts = [
      ['The path parameters are', request.params],
      ['The query string is', request.query],
      ['The request body is', request.body],
    ] as const;
    for (const [what, value] of parts) {
      const path = firstUnstorableText(value);
      if (path) throw problems.badRequest(`${what} invalid.`, [{ path: path.join('.'), message: MESSAGE }]);
    }
  });
}
