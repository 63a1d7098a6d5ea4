import { useState } from 'preact/hooks';
import type { z } from 'zod';
import { ApiError, type FieldError } from './api';
import { swedishMessage } from './messages';

export interface Command {
  busy: boolean;
  /** The whole command's failure, in Swedish (a 409's reason, a 503…). */
  error: string | null;
  /** The message for a body path (`reason`, `agencyIds`), from the schema or the API. */
  fieldError(path: string): string | undefined;
  /**
   * Checks `body` with the API's own body schema, then sends it; true when it went through.
   * A refusal by the schema never reaches the API.
   */
  run<S extends z.ZodType>(schema: S, body: unknown, send: (body: z.output<S>) => Promise<void>): Promise<boolean>;
  reset(): void;
}

/** State of one small form that sends one command. */
export function useCommand(): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldErrors, setFieldErrors] = useState<FieldError[]>([]);

  const run: Command['run'] = async (schema, body, send) => {
    if (busy) return false;
    setError(null);
    setFieldErrors([]);
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      setFieldErrors(parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: swedishMessage(i.message) })));
      return false;
    }
    setBusy(true);
    try {
      await send(parsed.data);
      return true;
    } catch (err) {
      if (err instanceof ApiError) {
        setFieldErrors(err.fieldErrors);
        // With field errors the fields say it; otherwise the command's own message does.
        setError(err.fieldErrors.length > 0 ? null : err.message);
      } else setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  return {
    busy,
    error,
    run,
    fieldError: (path) => fieldErrors.find((f) => f.path === path || f.path.startsWith(`${path}.`))?.message,
    reset: () => {
      setError(null);
      setFieldErrors([]);
    },
  };
}
