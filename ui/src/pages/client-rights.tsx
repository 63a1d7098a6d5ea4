import { useState } from 'preact/hooks';
import { ApiError, api } from '../api';
import { useApp } from '../app-context';
import { Button, Notice, SelectField } from '../components/ui';
import { Link, navigate } from '../router';

const REASONS = [
  ['opened_in_error', 'Ärendet öppnades av misstag'],
  ['duplicate', 'Dubblett av ett annat ärende'],
  ['wrong_client', 'Öppnades för fel person'],
] as const;

/**
 * The client's rights on the case page, for the coordinating agency's coordinators: the register
 * extract (art. 15) and erasing a case opened in error (art. 17). Erasure cannot be undone, so
 * it asks for a reason and a second, explicit confirmation.
 */
export function ClientRights({ caseId, name }: { caseId: string; name: string }) {
  const { announce } = useApp();
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const erase = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('DELETE', `/v1/cases/${encodeURIComponent(caseId)}`, { body: { reason } });
      announce(`Ärendet för ${name} är raderat.`);
      navigate('/arenden');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Raderingen misslyckades.');
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="rubrik-rattigheter" class="panel no-print">
      <h2 id="rubrik-rattigheter">Klientens rättigheter</h2>
      <p>
        <Link href={`/arenden/${encodeURIComponent(caseId)}/registerutdrag`}>Registerutdrag</Link>: allt som finns om klienten i
        ärendet, att skriva ut eller ladda ner (dataskyddsförordningen art. 15).
      </p>
      <details class="disclosure">
        <summary>Radera ärendet</summary>
        <div class="disclosure-body">
          <p>
            Endast för ett ärende som inte skulle ha öppnats. Klientens namn, personnummer och allt som skrivits om klienten
            blir oläsligt för alla och kan inte återskapas. Statistiken behåller att ärendet fanns. Stängda ärenden raderas
            automatiskt efter gallringstiden.
          </p>
          {error ? <Notice kind="error">{error}</Notice> : null}
          <SelectField id="radera-skal" label="Skäl till raderingen" value={reason} onValue={(v) => { setReason(v); setConfirming(false); }} options={REASONS} placeholder="Välj skäl" />
          {!confirming ? (
            <Button type="button" kind="secondary" disabled={!reason} onClick={() => setConfirming(true)}>
              Radera…
            </Button>
          ) : (
            <p>
              <strong>Radera ärendet för {name} för gott?</strong>{' '}
              <Button type="button" kind="danger" busy={busy} onClick={() => void erase()}>
                Ja, radera
              </Button>{' '}
              <Button type="button" kind="link" onClick={() => setConfirming(false)}>
                Avbryt
              </Button>
            </p>
          )}
        </div>
      </details>
    </section>
  );
}
