import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Agency } from '../../../domain/schemas/agency';
import type { Role } from '../../../domain/schemas/vocabulary';
import { api, ApiError } from '../api';
import { Button, ErrorSummary, Notice, Page, RadioGroup, SelectField, TextArea, TextField } from '../components/ui';
import { ROLES } from '../labels';
import { fetchAuthConfig, type AuthConfig } from '../auth-config';
import { DEFAULT_CLAIM_NAMES, sessionFromToken, takeSignedOut, type Session } from '../session';
import { OIDC_CALLBACK_PATH } from '../oidc-paths';
import { navigate } from '../router';
import { OidcSignIn } from './sign-in-oidc';

type DevState = { kind: 'checking' } | { kind: 'available'; agencies: Agency[] } | { kind: 'unavailable' };

/** A user id from a name: `Anna Åberg` → `anna-aberg`. */
const slug = (name: string) =>
  name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'anvandare';

/**
 * Sign-in. With the API in development mode (`AUTH_MODE=dev`) a person picks role, agency and
 * name and gets a token from `POST /v1/dev/tokens`; the agency list needs a token too, so an
 * administrator's development token is fetched first, for that list only. When the API names an
 * identity provider (`GET /v1/auth/config`), the person signs in there (./sign-in-oidc.tsx).
 * Either way, a bearer token from the organisation's identity provider can also be pasted.
 */
export function SignIn({ onSignedIn, reason }: { onSignedIn(session: Session): void; reason?: string | undefined }) {
  const [dev, setDev] = useState<DevState>({ kind: 'checking' });
  const [role, setRole] = useState<Role>('coordinator');
  // Administrators and operators work for the system, not for an agency.
  const withAgency = role !== 'admin' && role !== 'operator';
  const [agencyId, setAgencyId] = useState('');
  const [name, setName] = useState('');
  const [pasted, setPasted] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [config, setConfig] = useState<AuthConfig | null>(null);
  const [signedOut] = useState(takeSignedOut);
  const claims = config?.claims ?? DEFAULT_CLAIM_NAMES;

  useEffect(() => {
    let cancelled = false;
    fetchAuthConfig()
      .then((c) => !cancelled && setConfig(c))
      .catch((err: unknown) => !cancelled && setFailure(err instanceof ApiError ? err.message : String(err)));
    return () => {
      cancelled = true;
    };
  }, []);
  const onOidcFailure = useCallback((message: string) => setFailure(message), []);
  useEffect(() => {
    // An answer from a provider this installation no longer names: nothing to finish, nothing to keep.
    if (config && !config.oidc && location.pathname === OIDC_CALLBACK_PATH) navigate('/logga-in', { replace: true });
  }, [config]);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      try {
        const { token } = await api<{ token: string }>('POST', '/v1/dev/tokens', { body: { sub: 'inloggningssidan', role: 'admin', name: 'Inloggningssidan' }, token: '' });
        const { items } = await api<{ items: Agency[] }>('GET', '/v1/agencies', { token });
        if (!cancelled) setDev({ kind: 'available', agencies: items.sort((a, b) => a.name.localeCompare(b.name, 'sv')) });
      } catch {
        if (!cancelled) setDev({ kind: 'unavailable' });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const devSignIn = async (e: Event) => {
    e.preventDefault();
    const next: Record<string, string> = {};
    if (withAgency && !agencyId) next['inloggning-myndighet'] = 'Välj vilken myndighet du arbetar på.';
    if (!name.trim()) next['inloggning-namn'] = 'Skriv ditt namn.';
    setErrors(next);
    setFailure(null);
    if (Object.keys(next).length > 0) return;
    setBusy(true);
    try {
      const body = { sub: slug(name), role, name: name.trim(), ...(withAgency ? { agencyId } : {}) };
      const { token } = await api<{ token: string }>('POST', '/v1/dev/tokens', { body, token: '' });
      // Dev tokens carry the configured claim names too.
      onSignedIn(sessionFromToken(token, (config ?? (await fetchAuthConfig())).claims));
    } catch (err) {
      setFailure(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const tokenSignIn = async (e: Event) => {
    e.preventDefault();
    setFailure(null);
    let session: Session;
    try {
      session = sessionFromToken(pasted, claims);
    } catch (err) {
      setErrors({ 'inloggning-token': (err as Error).message });
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      // Any authenticated call tells whether the API accepts the token.
      await api('GET', '/v1/agencies', { token: session.token });
      onSignedIn(session);
    } catch (err) {
      setErrors({ 'inloggning-token': err instanceof ApiError && err.status === 401 ? 'API:et godtar inte tokenen (ogiltig eller utgången).' : err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  };

  const FIELD_LABELS: Record<string, string> = { 'inloggning-roll': 'Roll', 'inloggning-myndighet': 'Myndighet', 'inloggning-namn': 'Ditt namn', 'inloggning-token': 'Bearer-token' };
  const summary = Object.entries(errors).map(([fieldId, message]) => ({ fieldId, field: FIELD_LABELS[fieldId], message }));

  return (
    <Page title="Logga in">
      <p class="lead">Glappfri samlar planen inför och efter frigivning, så att ingen insats saknas på frigivningsdagen.</p>
      {signedOut && !reason ? <Notice kind="success">Du har loggat ut.</Notice> : null}
      {reason ? <Notice kind="warning">{reason}</Notice> : null}
      {failure ? <Notice kind="error">{failure}</Notice> : null}
      <ErrorSummary errors={summary} />
      <div class="columns">
        {config?.oidc ? <OidcSignIn settings={config.oidc} claims={claims} onSignedIn={onSignedIn} onFailure={onOidcFailure} primary={dev.kind !== 'available'} /> : null}
        {dev.kind === 'available' ? (
          <section aria-labelledby="rubrik-utveckling" class="panel">
            <h2 id="rubrik-utveckling">Logga in i utvecklingsläge</h2>
            <p class="hint">API:et körs i utvecklingsläge: välj vem du vill vara.</p>
            {dev.agencies.length === 0 ? (
              <Notice kind="warning">
                Det finns inga myndigheter i katalogen än. Som administratör kan du logga in ändå; de andra rollerna hör till en myndighet, och en administratör
                registrerar myndigheter med <code>PUT /v1/agencies/&#123;id&#125;</code> (se README).
              </Notice>
            ) : null}
            <form onSubmit={devSignIn} noValidate>
              <RadioGroup
                id="inloggning-roll"
                label="Roll"
                value={role}
                onValue={(v) => setRole(v as Role)}
                options={(['coordinator', 'agency', 'supervisor', 'admin', 'operator'] as const).map((r) => [r, ROLES[r]] as const)}
              />
              {withAgency ? (
                <SelectField
                  id="inloggning-myndighet"
                  label="Myndighet"
                  value={agencyId}
                  onValue={setAgencyId}
                  placeholder="Välj myndighet"
                  error={errors['inloggning-myndighet']}
                  options={dev.agencies.map((a) => [a.agencyId, a.name] as const)}
                />
              ) : null}
              <TextField id="inloggning-namn" label="Ditt namn" value={name} onValue={setName} autoComplete="name" error={errors['inloggning-namn']} />
              <Button type="submit" busy={busy}>
                Logga in
              </Button>
            </form>
          </section>
        ) : null}
        <section aria-labelledby="rubrik-token" class="panel">
          <h2 id="rubrik-token">Logga in med token</h2>
          {dev.kind === 'checking' ? <p class="muted">Kontrollerar inloggningssätt…</p> : null}
          <form onSubmit={tokenSignIn} noValidate>
            <TextArea
              id="inloggning-token"
              label="Bearer-token"
              hint="Klistra in den token (JWT) du fått från organisationens inloggningstjänst. Den sparas bara i den här fliken."
              value={pasted}
              onValue={setPasted}
              rows={4}
              error={errors['inloggning-token']}
            />
            <Button type="submit" kind={dev.kind === 'available' || config?.oidc ? 'secondary' : 'primary'} busy={busy}>
              Logga in med token
            </Button>
          </form>
        </section>
      </div>
    </Page>
  );
}
