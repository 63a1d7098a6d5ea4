import { ERASED_TEXT, freeTextFields } from '../domain/free-text';
import type { CaseKeys } from './case-keys';
import type { Queryable, StoredEvent } from './event-store';
import { openText, sealText, textKey } from './sealed-text';

/** Marks an event whose free-text fields are sealed (absent on events written before sealing). */
export const SEALED_V1 = 1;

type Data = Record<string, unknown>;

/** The event's data with its free-text fields (domain/free-text.ts) sealed with the case's key. */
export function sealData(dataKey: Buffer, type: string, data: unknown): unknown {
  const fields = freeTextFields(type);
  if (fields.length === 0) return data;
  const key = textKey(dataKey);
  const out: Data = { ...(data as Data) };
  for (const f of fields) if (typeof out[f] === 'string') out[f] = sealText(key, f, out[f] as string);
  return out;
}

/** The event's data readable again, or with its texts as ERASED_TEXT when the key is gone. */
export function openData(dataKey: Buffer | undefined, type: string, data: unknown): unknown {
  const fields = freeTextFields(type);
  if (fields.length === 0) return data;
  const key = dataKey ? textKey(dataKey) : undefined;
  const out: Data = { ...(data as Data) };
  for (const f of fields) {
    if (typeof out[f] !== 'string') continue;
    out[f] = key ? openText(key, f, out[f] as string) : ERASED_TEXT;
  }
  return out;
}

/**
 * Stored events as the domain reads them: sealed texts opened with their cases' keys, one query
 * for all the streams in the batch. Events written before sealing are returned as they are.
 */
export async function openEvents<E extends Pick<StoredEvent, 'streamId' | 'type' | 'data' | 'metadata'>>(
  db: Queryable,
  keys: CaseKeys,
  events: readonly E[],
): Promise<E[]> {
  const sealed = events.filter(isSealed);
  if (sealed.length === 0) return [...events];
  const byCase = await keys.forReading(db, sealed.map((e) => e.streamId));
  return events.map((e) => (isSealed(e) ? { ...e, data: openData(byCase.get(e.streamId), e.type, e.data) } : e));
}

function isSealed(e: Pick<StoredEvent, 'metadata'>): boolean {
  return (e.metadata as { sealed?: number }).sealed === SEALED_V1;
}
