import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useApp } from '../app-context';
import { Button, Notice, Page } from '../components/ui';

/**
 * Operators read Temporal's histories in its Web UI, where every payload is encrypted. The Web
 * UI cannot send this interface's token; a codec session (an HttpOnly cookie for /codec, one
 * hour) lets it decode through the API, with "Include cross-origin credentials" switched on in
 * its Data Encoder settings. Every decoding is logged.
 */
export function OperationsPage() {
  const { announce } = useApp();
  const [active, setActive] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const toggle = async (on: boolean) => {
    setError(undefined);
    try {
      await api(on ? 'POST' : 'DELETE', '/codec/session');
      setActive(on);
      announce(on ? 'Avkodningen är på i en timme.' : 'Avkodningen är avslutad.');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Det gick inte.');
    }
  };
  return (
    <Page title="Drift">
      <section class="panel" aria-labelledby="rubrik-avkodning">
        <h2 id="rubrik-avkodning">Avkoda ärendehistorik i Temporal Web UI</h2>
        <p>
          Allt Glappfri lämnar till Temporal är krypterat. För att läsa en historik i Temporal Web UI: starta avkodningen här,
          öppna sedan Temporal Web UI, välj <em>Data Encoder</em> och slå på <em>Include cross-origin credentials</em>. Varje
          avkodning loggas, eftersom historiken innehåller det som skrivits om klienter.
        </p>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {active ? (
          <p>
            <Notice kind="success">Avkodningen är på (i högst en timme).</Notice>{' '}
            <Button type="button" kind="secondary" onClick={() => void toggle(false)}>
              Avsluta avkodningen
            </Button>
          </p>
        ) : (
          <Button type="button" onClick={() => void toggle(true)}>
            Starta avkodning
          </Button>
        )}
      </section>
    </Page>
  );
}
