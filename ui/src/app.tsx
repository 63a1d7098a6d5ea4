import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AgencyEntry as Agency } from '../../domain/schemas/agency';
import type { Role } from '../../domain/schemas/vocabulary';
import { api, ApiError, UNAUTHORIZED_EVENT } from './api';
import { AppContext, type AnnounceOptions, type AppContextValue } from './app-context';
import { Loading, Notice, Page } from './components/ui';
import { ROLES } from './labels';
import { AlertsPage } from './pages/alerts';
import { CasePage } from './pages/case';
import { CaseExportPage } from './pages/case-export';
import { OperationsPage } from './pages/operations';
import { CaseListPage } from './pages/case-list';
import { FiguresPage } from './pages/figures';
import { ForecastPage } from './pages/forecast';
import { OpenCasePage } from './pages/open-case';
import { SignIn } from './pages/sign-in';
import { SimulationPage } from './pages/simulation';
import { TasksPage } from './pages/tasks';
import { Link, navigate, useLocation } from './router';
import { endSessionUrl } from './oidc';
import { OIDC_CALLBACK_PATH } from './oidc-paths';
import { clearSession, loadSession, markSignedOut, saveSession, type Session } from './session';

interface NavItem {
  href: string;
  text: string;
}

const NAV: Record<Role, NavItem[]> = {
  coordinator: [
    { href: '/arenden', text: 'Ärenden' },
    { href: '/arenden/nytt', text: 'Nytt ärende' },
    { href: '/statistik', text: 'Statistik' },
    { href: '/prognos', text: 'Prognos' },
  ],
  agency: [{ href: '/uppgifter', text: 'Uppgifter' }],
  supervisor: [
    { href: '/larm', text: 'Larm' },
    { href: '/uppgifter', text: 'Uppgifter' },
    { href: '/arenden', text: 'Ärenden' },
    { href: '/statistik', text: 'Statistik' },
    { href: '/prognos', text: 'Prognos' },
    { href: '/simulering', text: 'Simulering' },
  ],
  // Administrators see no client data (README, "Who may see a client").
  admin: [
    { href: '/statistik', text: 'Statistik' },
    { href: '/simulering', text: 'Simulering' },
  ],
  // Operators use Temporal's Web UI; here they only start a decoding session for it.
  operator: [{ href: '/drift', text: 'Drift' }],
};

const HOME: Record<Role, string> = { coordinator: '/arenden', agency: '/uppgifter', supervisor: '/larm', admin: '/statistik', operator: '/drift' };

/** Which roles may open a page (the API decides in the end; this only spares a 403). */
const PAGE_ROLES: Record<string, readonly Role[]> = {
  '/arenden': ['coordinator', 'supervisor', 'agency'],
  '/arenden/nytt': ['coordinator'],
  '/uppgifter': ['agency', 'supervisor'],
  '/larm': ['supervisor'],
  '/statistik': ['coordinator', 'supervisor', 'admin'],
  '/drift': ['operator'],
  '/prognos': ['supervisor', 'coordinator'],
  '/simulering': ['admin', 'supervisor'],
};

interface Status extends AnnounceOptions {
  text: string;
}

function Shell({ session, onSignOut, path, children, status }: { session: Session | null; onSignOut(): void; path: string; children: ComponentChildren; status: Status | null }) {
  const items = session ? NAV[session.role] : [];
  const active = (href: string) => path === href || (href === '/arenden' && path.startsWith('/arenden/') && path !== '/arenden/nytt');
  return (
    <>
      <a class="skip-link" href="#innehall">
        Hoppa till innehållet
      </a>
      <header class="site-header">
        <div class="site-header-inner">
          <Link href="/" class="brand">
            Glappfri<span class="brand-sub">samordning inför frigivning</span>
          </Link>
          {session ? (
            <nav aria-label="Huvudmeny">
              <ul>
                {items.map((i) => (
                  <li key={i.href}>
                    <Link href={i.href} aria-current={active(i.href) ? 'page' : undefined}>
                      {i.text}
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {session ? (
            <div class="who">
              <span>
                {session.name} <span class="who-role">({ROLES[session.role]})</span>
              </span>
              <button type="button" class="btn btn-link-light" onClick={onSignOut}>
                Logga ut
              </button>
            </div>
          ) : null}
        </div>
      </header>
      <main id="innehall" tabIndex={-1}>
        <div class="flash" role="status" aria-live="polite">
          {status ? <p class={status.quiet ? 'visually-hidden' : `flash-message flash-${status.tone ?? 'success'}`}>{status.text}</p> : null}
        </div>
        {children}
      </main>
      <footer class="site-footer">
        <p>
          Glappfri · tider visas i svensk tid (Europe/Stockholm) · <a href="/docs">API-dokumentation</a>
        </p>
      </footer>
    </>
  );
}

function Forbidden() {
  return (
    <Page title="Ingen behörighet">
      <Notice kind="warning">Din roll har inte tillgång till den här sidan.</Notice>
    </Page>
  );
}

function NotFound() {
  return (
    <Page title="Sidan finns inte">
      <p>
        Adressen leder ingenstans. <Link href="/">Till startsidan</Link>
      </p>
    </Page>
  );
}

function routeFor(path: string, role: Role): ComponentChildren {
  if (path === '/' || path === '/logga-in' || path === OIDC_CALLBACK_PATH) return null; // on the way home
  const allowed = (page: string) => PAGE_ROLES[page]?.includes(role) ?? true;
  if (path === '/arenden/nytt') return allowed(path) ? <OpenCasePage /> : <Forbidden />;
  const exportMatch = /^\/arenden\/([^/]+)\/registerutdrag$/.exec(path);
  if (exportMatch) return role === 'coordinator' ? <CaseExportPage caseId={decodeURIComponent(exportMatch[1] ?? '')} /> : <Forbidden />;
  const caseMatch = /^\/arenden\/([^/]+)$/.exec(path);
  if (caseMatch) return <CasePage key={caseMatch[1]} caseId={decodeURIComponent(caseMatch[1] ?? '')} />;
  switch (path) {
    case '/arenden':
      return allowed(path) ? <CaseListPage /> : <Forbidden />;
    case '/uppgifter':
      return allowed(path) ? <TasksPage /> : <Forbidden />;
    case '/larm':
      return allowed(path) ? <AlertsPage /> : <Forbidden />;
    case '/statistik':
      return allowed(path) ? <FiguresPage /> : <Forbidden />;
    case '/drift':
      return allowed(path) ? <OperationsPage /> : <Forbidden />;
    case '/prognos':
      return allowed(path) ? <ForecastPage /> : <Forbidden />;
    case '/simulering':
      return allowed(path) ? <SimulationPage /> : <Forbidden />;
    default:
      return <NotFound />;
  }
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [agencies, setAgencies] = useState<Agency[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [signInReason, setSignInReason] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<Status | null>(null);
  const statusTimer = useRef<number | undefined>(undefined);
  const { path } = useLocation();

  const signOut = useCallback((reason?: string) => {
    clearSession();
    setSession(null);
    setAgencies(null);
    setSignInReason(reason);
    navigate('/logga-in', { replace: true });
  }, []);

  useEffect(() => {
    const expired = () => signOut('Inloggningen har gått ut eller godtas inte längre. Logga in igen.');
    window.addEventListener(UNAUTHORIZED_EVENT, expired);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, expired);
  }, [signOut]);

  useEffect(() => {
    if (!session) return;
    let cancelled = false;
    setLoadError(null);
    api<{ items: Agency[] }>('GET', '/v1/agencies')
      .then((r) => !cancelled && setAgencies(r.items))
      .catch((err: unknown) => !cancelled && setLoadError(err instanceof ApiError ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, [session]);

  const home = session ? HOME[session.role] : '/logga-in';
  useEffect(() => {
    if (session && (path === '/' || path === '/logga-in' || path === OIDC_CALLBACK_PATH)) navigate(home, { replace: true });
    // The provider's answer stays where it is until the sign-in page has read it.
    if (!session && path !== '/logga-in' && path !== OIDC_CALLBACK_PATH) navigate('/logga-in', { replace: true });
  }, [session, path, home]);

  const announce = useCallback((message: string, opts: AnnounceOptions = {}) => {
    // Emptied first, so the same message twice is announced twice.
    setStatus(null);
    window.clearTimeout(statusTimer.current);
    window.setTimeout(() => setStatus({ text: message, ...opts }), 50);
    statusTimer.current = window.setTimeout(() => setStatus(null), 10_000);
  }, []);

  const context = useMemo<AppContextValue | null>(() => {
    if (!session || !agencies) return null;
    const names = new Map(agencies.map((a) => [a.agencyId, a.name]));
    return {
      session,
      agencies,
      agencyName: (id) => (id ? (names.get(id) ?? id) : 'Ingen'),
      announce,
      signOut: () => signOut(),
    };
  }, [session, agencies, announce, signOut]);

  const onSignedIn = useCallback((s: Session) => {
    saveSession(s);
    setSignInReason(undefined);
    setSession(s);
    navigate(HOME[s.role], { replace: true });
  }, []);

  /**
   * The person's own sign-out: the session here ends at once; one from the identity provider
   * also ends there, when its discovery document names an end-session endpoint, which sends the
   * browser back to the sign-in page.
   */
  const signOutByChoice = useCallback(async () => {
    const oidc = session?.oidc;
    clearSession();
    markSignedOut();
    const there = oidc ? await endSessionUrl(oidc, oidc.idToken) : null;
    if (there) location.assign(there);
    else signOut();
  }, [session, signOut]);

  let body: ComponentChildren;
  if (!session) body = <SignIn onSignedIn={onSignedIn} reason={signInReason} />;
  else if (loadError) body = <Notice kind="error">{loadError}</Notice>;
  else if (!context) body = <Loading what="Hämtar myndigheter" />;
  else body = <AppContext.Provider value={context}>{routeFor(path, session.role)}</AppContext.Provider>;

  return (
    <Shell session={session} onSignOut={() => void signOutByChoice()} path={path} status={status}>
      {body}
    </Shell>
  );
}
