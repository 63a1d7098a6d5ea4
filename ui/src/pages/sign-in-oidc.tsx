import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { Button } from '../components/ui';
import { beginSignIn, completeSignIn, isCallback, OidcError, type OidcSettings } from '../oidc';
import { navigate } from '../router';
import { MissingClaimsError, sessionFromToken, type ClaimNames, type Session } from '../session';

/** Why a sign-in at the provider did not give a session here, for the person (Swedish). */
function messageFor(err: unknown): string {
  if (err instanceof OidcError) return err.message;
  if (err instanceof MissingClaimsError) {
    return `Du loggades in hos inloggningstjänsten, men den uppger inte vilken roll och myndighet du har i Glappfri. ${err.message} Be den som administrerar inloggningen att ge ditt konto en roll och en myndighet.`;
  }
  if (err instanceof ApiError && err.status === 401) {
    return 'Du loggades in hos inloggningstjänsten, men Glappfri godtar inte inloggningen (fel utfärdare, mottagare eller roll). Kontakta den som administrerar inloggningen.';
  }
  return err instanceof Error ? err.message : String(err);
}

/** Each code is exchanged once, even if the component mounts twice on the way back. */
let exchanging: URL | null = null;

/**
 * The button that leaves for the identity provider, and, back at the callback address, the
 * exchange of the code for an access token: read by the claim names the API uses, then checked
 * with the API itself before the session starts.
 */
export function OidcSignIn({ settings, claims, onSignedIn, onFailure, primary }: {
  settings: OidcSettings;
  claims: ClaimNames;
  onSignedIn(session: Session): void;
  onFailure(message: string): void;
  primary: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const [completing, setCompleting] = useState(() => isCallback(new URL(location.href)));
  const done = useRef(false);

  useEffect(() => {
    const here = new URL(location.href);
    if (!isCallback(here) || done.current || exchanging?.href === here.href) return;
    done.current = true;
    exchanging = here;
    // The code must not stay in the address bar or the history, used or not.
    navigate('/logga-in', { replace: true });
    (async () => {
      try {
        const { accessToken, idToken } = await completeSignIn(settings, here);
        const session = sessionFromToken(accessToken, claims);
        // Any authenticated call tells whether the API accepts the token as it is.
        await api('GET', '/v1/agencies', { token: session.token });
        onSignedIn({ ...session, oidc: { issuer: settings.issuer, clientId: settings.clientId, ...(idToken ? { idToken } : {}) } });
      } catch (err) {
        onFailure(messageFor(err));
      } finally {
        setCompleting(false);
      }
    })();
  }, [settings, claims, onSignedIn, onFailure]);

  const start = async () => {
    setBusy(true);
    try {
      await beginSignIn(settings);
    } catch (err) {
      onFailure(messageFor(err));
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="rubrik-oidc" class="panel">
      <h2 id="rubrik-oidc">Logga in med din organisations inloggning</h2>
      <p class="hint">Du skickas till inloggningstjänsten och kommer sedan tillbaka hit.</p>
      {completing ? (
        <p class="loading" role="status">
          Slutför inloggningen…
        </p>
      ) : (
        <Button type="button" kind={primary ? 'primary' : 'secondary'} busy={busy} onClick={() => void start()}>
          Logga in via inloggningstjänsten
        </Button>
      )}
    </section>
  );
}
