import { swedishMessage } from './messages';
import { loadSession } from './session';

/** One field error of a problem+json response (`errors[]`). */
export interface FieldError {
  path: string;
  message: string;
}

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}

/** A refused or failed request, with a Swedish message for the person and the API's field errors. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  readonly fieldErrors: FieldError[];

  constructor(status: number, message: string, problem: Problem | null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.fieldErrors = (problem?.errors ?? []).map((e) => ({ path: e.path, message: swedishMessage(e.message) }));
  }
}

export const UNAUTHORIZED_EVENT = 'glappfri:unauthorized';

const STATUS_MESSAGES: Record<number, string> = {
  400: 'Uppgifterna är inte giltiga. Rätta de markerade fälten.',
  401: 'Du är inte inloggad, eller så har inloggningen gått ut. Logga in igen.',
  403: 'Din roll eller myndighet får inte göra det här.',
  404: 'Hittades inte, eller så har du inte behörighet att se det.',
  409: 'Det går inte i ärendets nuvarande läge.',
  503: 'Tjänsten är tillfälligt otillgänglig. Inget ändrades. Försök igen om en stund.',
};

function messageFor(status: number, problem: Problem | null): string {
  const base = STATUS_MESSAGES[status] ?? `Något gick fel (HTTP ${status}). Inget ändrades.`;
  // A conflict says what is wrong in its detail; 400s are shown next to the fields.
  if (status === 409 && problem?.detail) return `${base} ${swedishMessage(problem.detail)}`;
  if (status === 400 && problem?.detail && !problem.errors?.length) return `${base} ${swedishMessage(problem.detail)}`;
  return base;
}

/** A random key for `Idempotency-Key`: a retried click cannot make the same change twice. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

export interface RequestOptions {
  body?: unknown;
  /** Use this token instead of the session's (sign-in). */
  token?: string;
  signal?: AbortSignal;
}

/** Calls the API with the session's bearer token; resolves to the JSON body or throws {@link ApiError}. */
export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, opts: RequestOptions = {}): Promise<T> {
  const token = opts.token ?? loadSession()?.token;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  // Every POST of the contract takes a JSON body, if only `{}`.
  const body = opts.body !== undefined ? JSON.stringify(opts.body) : method === 'POST' ? '{}' : undefined;
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method === 'POST') headers['idempotency-key'] = newIdempotencyKey();
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'Kunde inte nå servern. Kontrollera anslutningen och försök igen.', null);
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!res.ok) {
    const problem = json && typeof json === 'object' ? (json as Problem) : null;
    if (res.status === 401 && opts.token === undefined) window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT));
    throw new ApiError(res.status, messageFor(res.status, problem), problem);
  }
  return json as T;
}

/** Items per request when a whole list is loaded: the most the API gives in one page. */
const PAGE_LIMIT = 200;

/**
 * GETs every page of a paged list (`{ items, nextCursor }`), following `nextCursor` to the end,
 * so that a list is never silently cut at the first page.
 */
export async function apiAllPages<T>(path: string, opts: RequestOptions = {}): Promise<{ items: T[] }> {
  const items: T[] = [];
  let cursor: string | null = null;
  do {
    const query = `limit=${PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: T[]; nextCursor: string | null } = await api('GET', `${path}${path.includes('?') ? '&' : '?'}${query}`, opts);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return { items };
}
