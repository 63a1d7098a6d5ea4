import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, apiAllPages, ApiError } from './api';

export interface Loaded<T> {
  data: T | null;
  error: ApiError | null;
  loading: boolean;
  /** Fetches again; resolves when done. */
  reload(): Promise<void>;
  /** Replaces the data (with a command's answer, say) without a request. */
  set(data: T): void;
}

const getOne = (path: string) => api<unknown>('GET', path);
const getAllPages = (path: string) => apiAllPages<unknown>(path);

/** GETs `path` (null: nothing yet) and keeps the answer; a newer request wins over an older one. */
export function useApi<T>(path: string | null, get: (path: string) => Promise<unknown> = getOne): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const generation = useRef(0);

  const load = useCallback(async () => {
    if (path === null) return;
    const mine = ++generation.current;
    setLoading(true);
    try {
      const result = (await get(path)) as T;
      if (mine === generation.current) {
        setData(result);
        setError(null);
      }
    } catch (err) {
      if (mine === generation.current) setError(err instanceof ApiError ? err : new ApiError(0, String(err), null));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [path, get]);

  useEffect(() => {
    void load();
  }, [load]);

  return { data, error, loading, reload: load, set: setData };
}

/** A paged list, every page of it (see apiAllPages): the same as useApi otherwise. */
export function useApiList<T>(path: string | null): Loaded<{ items: T[] }> {
  return useApi<{ items: T[] }>(path, getAllPages);
}
