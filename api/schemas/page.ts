import { z } from 'zod';

/*
 * Cursor pagination of the lists (cases, inbox, alerts, a case's trail). A cursor is the sort key
 * of the last item of a page (ending with the item's unique id), so the next page starts strictly
 * after it whatever was inserted meanwhile: keyset, not offset, paging. It is opaque to clients
 * (base64url of JSON) and names the list it belongs to, so a cursor of one list is refused by
 * another rather than silently starting somewhere odd.
 */

export const PAGE_LIMIT_DEFAULT = 50;
export const PAGE_LIMIT_MAX = 200;

/** One value of a sort key: timestamps travel as PostgreSQL's own ISO text (microseconds kept). */
export type KeyValue = string | number | boolean | null;

interface CursorBody {
  /** The list the cursor belongs to. */
  l: string;
  /** The sort key of the last item shown. */
  k: KeyValue[];
}

export function encodeCursor(list: string, key: KeyValue[]): string {
  return Buffer.from(JSON.stringify({ l: list, k: key } satisfies CursorBody)).toString('base64url');
}

function decodeCursor(text: string): CursorBody | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const body = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    if (typeof body !== 'object' || body === null) return null;
    const { l, k } = body as Partial<CursorBody>;
    if (typeof l !== 'string' || !Array.isArray(k)) return null;
    if (!k.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v))) return null;
    return { l, k };
  } catch {
    return null;
  }
}

/**
 * The query parameters of a paged list. `key` checks the decoded sort key's shape, so the store
 * only ever sees a key it can compare with (a bad cursor is a 400 naming `cursor`).
 */
export function pageQuery<K extends z.ZodType<KeyValue[]>>(list: string, key: K) {
  return z.object({
    limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT)
      .meta({ description: `Items per page (default ${PAGE_LIMIT_DEFAULT}, at most ${PAGE_LIMIT_MAX})` }),
    cursor: z.string().max(1000).optional()
      .transform((text, ctx): z.infer<K> | undefined => {
        if (text === undefined) return undefined;
        const body = decodeCursor(text);
        const parsed = body && body.l === list ? key.safeParse(body.k) : null;
        if (!parsed?.success) {
          ctx.addIssue({ code: 'custom', message: 'not a cursor of this list (use nextCursor of the previous page as it is)' });
          return z.NEVER;
        }
        return parsed.data;
      })
      .meta({ description: 'nextCursor of the previous page; absent for the first page' }),
  });
}

/** A page of a list: `nextCursor` is null on the last page. */
export const page = <T extends z.ZodType>(item: T) => z.object({
  items: z.array(item),
  nextCursor: z.string().nullable().meta({ description: 'Pass as `cursor` for the next page; null when this is the last page' }),
});

/** A timestamp as text, as it came from PostgreSQL (checked to parse, compared by the database). */
export const keyTimestamp = z.string().max(40).refine((s) => !Number.isNaN(Date.parse(s)));
export const keyId = z.string().min(1).max(300);

/**
 * Rows fetched with `limit + 1`: the page, and the cursor of its last item when more follow.
 * `keyOf` gives the sort key of a row, in the list's order.
 */
export function toPage<R, T>(list: string, rows: R[], limit: number, keyOf: (row: R) => KeyValue[], view: (row: R) => T) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  return { items: shown.map(view), nextCursor: more && last !== undefined ? encodeCursor(list, keyOf(last)) : null };
}
