import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AgencyEntry as Agency } from '../../domain/schemas/agency';
import type { Session } from './session';

export interface AnnounceOptions {
  tone?: 'success' | 'warning';
  quiet?: boolean;
}

/** What every page of a signed-in person needs. */
export interface AppContextValue {
  session: Session;
  /** The agency directory (GET /v1/agencies), for names and choices. */
  agencies: Agency[];
  agencyName(agencyId: string | null | undefined): string;
  /**
   * Says something to screen-reader users through the page's live region and shows it, unless
   * `quiet` (what the page already shows, such as a list's count). `warning` for bad news.
   */
  announce(message: string, opts?: AnnounceOptions): void;
  signOut(): void;
}

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('useApp outside <AppContext.Provider>');
  return ctx;
}
