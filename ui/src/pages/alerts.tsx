import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, apiAllPages, ApiError } from '../api';
import { followAlerts, type StreamState } from '../alert-stream';
import { useApp } from '../app-context';
import { Badge, Button, Notice, Page, Time } from '../components/ui';
import { ALERT_LEVELS, GAP_KINDS, label } from '../labels';
import { Link } from '../router';
import type { Alert, CaseSummary } from '../types';
import { useApiList } from '../use-api';

const RANK: Record<Alert['status'], number> = { open: 0, acknowledged: 1, resolved: 2 };
const STATE_TEXT: Record<StreamState, string> = {
  connecting: 'ansluter…',
  open: 'ansluten, nya larm visas direkt',
  reconnecting: 'avbruten, ansluter igen…',
  closed: 'stängd',
};

/** Of two versions of an alert, the one further along (open → acknowledged → resolved) wins. */
const newer = (a: Alert | undefined, b: Alert): Alert => (!a || RANK[b.status] >= RANK[a.status] ? b : a);

function AlertItem({ alert: a, clientName, onAcknowledge }: { alert: Alert; clientName: string | undefined; onAcknowledge?: (a: Alert) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `larm-${a.alertId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return (
    <li class={`alert-item alert-level-${a.level}`}>
      <article aria-labelledby={headingId}>
        <h3 id={headingId}>
          <Badge kind={a.level >= 3 ? 'danger' : a.level === 2 ? 'warning' : 'info'}>Nivå {a.level}</Badge> {label(GAP_KINDS, a.kind)}
        </h3>
        <p>{a.message}</p>
        <dl class="facts facts-inline">
          <dt>Klient</dt>
          <dd>
            <Link href={`/arenden/${encodeURIComponent(a.caseId)}`}>{clientName || 'Visa ärendet'}</Link>
          </dd>
          <dt>Glapp sedan</dt>
          <dd>
            <Time iso={a.since} withTime />
          </dd>
          <dt>Larmet utlöst</dt>
          <dd>
            <Time iso={a.raisedAt} withTime relative />
          </dd>
          {a.acknowledgedAt ? (
            <>
              <dt>Kvitterat</dt>
              <dd>
                <Time iso={a.acknowledgedAt} withTime />
              </dd>
            </>
          ) : null}
        </dl>
        {error ? <Notice kind="error">{error}</Notice> : null}
        {onAcknowledge && a.status === 'open' ? (
          <Button
            type="button"
            busy={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                await onAcknowledge(a);
              } catch (err) {
                setError(err instanceof ApiError ? err.message : String(err));
              } finally {
                setBusy(false);
              }
            }}
          >
            Kvittera<span class="visually-hidden"> larmet {label(GAP_KINDS, a.kind)} för {clientName ?? 'ärendet'}</span>
          </Button>
        ) : null}
      </article>
    </li>
  );
}

/**
 * The unit manager's alerts: open ones by level (most serious first), live from the alert
 * stream, and acknowledged ones until their gap closes.
 */
export function AlertsPage() {
  const { session, agencyName, announce } = useApp();
  const [alerts, setAlerts] = useState<Record<string, Alert>>({});
  const [stream, setStream] = useState<StreamState>('connecting');
  const [error, setError] = useState<string | null>(null);
  const cases = useApiList<CaseSummary>('/v1/cases');
  const known = useRef(new Set<string>());
  const names = new Map((cases.data?.items ?? []).map((c) => [c.caseId, c.client.name]));
  const namesRef = useRef(names);
  namesRef.current = names;
  const reloadCases = useRef(cases.reload);
  reloadCases.current = cases.reload;

  const merge = useCallback((list: Alert[]) => {
    setAlerts((prev) => {
      const next = { ...prev };
      for (const a of list) next[a.alertId] = newer(prev[a.alertId], a);
      return next;
    });
  }, []);

  const loadBacklog = useCallback(async () => {
    try {
      const [open, acknowledged] = await Promise.all([
        apiAllPages<Alert>('/v1/alerts?status=open'),
        apiAllPages<Alert>('/v1/alerts?status=acknowledged'),
      ]);
      const all = [...open.items, ...acknowledged.items];
      for (const a of all) known.current.add(a.alertId);
      merge(all);
      setError(null);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }, [merge]);

  useEffect(
    () =>
      followAlerts(session.token, {
        onOpen: () => void loadBacklog(),
        onState: setStream,
        onAlert: (a) => {
          merge([a]);
          if (!namesRef.current.has(a.caseId)) void reloadCases.current();
          const isNew = !known.current.has(a.alertId);
          known.current.add(a.alertId);
          if (isNew && a.status === 'open') announce(`Nytt larm, nivå ${a.level}: ${label(GAP_KINDS, a.kind)}. ${a.message}`, { tone: 'warning' });
          else if (a.status === 'resolved') announce(`Larm åtgärdat: ${label(GAP_KINDS, a.kind)}. Glappet är stängt.`);
        },
      }),
    [session.token, loadBacklog, merge, announce],
  );

  const acknowledge = async (a: Alert) => {
    const updated = await api<Alert>('POST', `/v1/alerts/${encodeURIComponent(a.alertId)}/acknowledge`);
    merge([updated]);
    announce(`Larmet är kvitterat. Det ligger kvar tills glappet är stängt.`);
    document.querySelector<HTMLElement>('h1')?.focus();
  };

  const list = Object.values(alerts);
  const open = list.filter((a) => a.status === 'open');
  const acknowledged = list.filter((a) => a.status === 'acknowledged');
  const byTime = (x: Alert, y: Alert) => Date.parse(y.raisedAt) - Date.parse(x.raisedAt);

  return (
    <Page title={`Larm för ${agencyName(session.agencyId)}`}>
      <p class="stream-state" data-state={stream}>
        Direktuppdatering: <strong>{STATE_TEXT[stream]}</strong>
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <p class="lead">{open.length === 0 ? 'Inga öppna larm. Nya larm visas här direkt när ett glapp uppstår.' : `${open.length} öppna larm, allvarligast först.`}</p>
      {[3, 2, 1].map((level) => {
        const here = open.filter((a) => a.level === level).sort(byTime);
        return here.length ? (
          <section key={level} aria-labelledby={`rubrik-niva-${level}`} class={`alert-group alert-group-${level}`}>
            <h2 id={`rubrik-niva-${level}`}>
              {label(ALERT_LEVELS, String(level))} ({here.length})
            </h2>
            <ul class="alerts">
              {here.map((a) => (
                <AlertItem key={a.alertId} alert={a} clientName={names.get(a.caseId)} onAcknowledge={acknowledge} />
              ))}
            </ul>
          </section>
        ) : null;
      })}
      <section aria-labelledby="rubrik-kvitterade">
        <h2 id="rubrik-kvitterade">Kvitterade, väntar på att glappet stängs ({acknowledged.length})</h2>
        {acknowledged.length ? (
          <ul class="alerts">
            {acknowledged.sort(byTime).map((a) => (
              <AlertItem key={a.alertId} alert={a} clientName={names.get(a.caseId)} />
            ))}
          </ul>
        ) : (
          <p class="muted">Inga kvitterade larm.</p>
        )}
      </section>
    </Page>
  );
}
