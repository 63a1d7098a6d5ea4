import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, apiAllPages, ApiError } from '../api';
import { followAlerts, type StreamState } from '../alert-stream';
import { useApp } from '../app-context';
import { AGES, filterFromQuery, filterPath, groupByCase, matches, openFor, type AlertFilter } from '../alert-filter';
import { clientFacts } from '../client-text';
import { Badge, Button, Notice, Page, SelectField, Time } from '../components/ui';
import { formatDuration } from '../format';
import { ALERT_LEVELS, GAP_KINDS, label } from '../labels';
import { Link, navigate, useLocation } from '../router';
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

function AlertItem({ alert: a, clientName, now, onAcknowledge }: { alert: Alert; clientName: string | undefined; now: number; onAcknowledge?: (a: Alert) => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const headingId = `larm-${a.alertId}`.replace(/[^A-Za-z0-9_-]/g, '-');
  return (
    <li class={`alert-item alert-level-${a.level}`}>
      <article aria-labelledby={headingId}>
        <h4 id={headingId}>
          <Badge kind={a.level >= 3 ? 'danger' : a.level === 2 ? 'warning' : 'info'}>Nivå {a.level}</Badge> {label(GAP_KINDS, a.kind)}
        </h4>
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
            <Time iso={a.raisedAt} withTime />
          </dd>
          <dt>Öppet</dt>
          <dd class="alert-open-for">i {formatDuration(openFor(a, now))}</dd>
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
  // The filter lives in the address: a reload, a bookmark or a shared link shows the same alerts.
  const { query } = useLocation();
  const filter = filterFromQuery(query, Object.keys(GAP_KINDS));
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    // How long each alert has been open moves on while the page stays open.
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  const summaries = new Map((cases.data?.items ?? []).map((c) => [c.caseId, c]));
  const names = new Map([...summaries].map(([id, c]) => [id, c.client.name]));
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
  const shown = list.filter((a) => matches(a, filter, now));
  const open = shown.filter((a) => a.status === 'open');
  const acknowledged = shown.filter((a) => a.status === 'acknowledged');
  const allOpen = list.filter((a) => a.status === 'open').length;
  const filtered = !!(filter.level || filter.kind || filter.minDays);
  // Replaced, not pushed: each choice of a select is not a page of its own to go back through.
  const set = (k: keyof AlertFilter) => (v: string) => navigate(filterPath({ ...filter, [k]: v }), { replace: true });
  const shownCount = open.length + acknowledged.length;
  useEffect(() => {
    if (filtered) announce(`${shownCount} larm matchar filtret.`, { quiet: true });
  }, [filterPath(filter)]); // once per change of the filter, not per arriving alert

  /** One case's alerts under the client's name, so two alerts of one case read as one case. */
  const byCase = (prefix: string, alertsHere: Alert[], ack?: (a: Alert) => Promise<void>) =>
    groupByCase(alertsHere).map((g) => {
      const c = summaries.get(g.caseId);
      const id = `${prefix}-${g.caseId}`.replace(/[^A-Za-z0-9_-]/g, '-');
      return (
        <section key={g.caseId} aria-labelledby={id} class={`alert-case alert-group-${g.level}`}>
          <h3 id={id}>
            {c?.client.name || 'Ärende'} <span class="muted">({g.alerts.length} larm, högsta nivå {g.level})</span>
          </h3>
          {c ? <p class="muted">{clientFacts(c.client)}</p> : null}
          <ul class="alerts">
            {g.alerts.map((a) => (
              <AlertItem key={a.alertId} alert={a} clientName={names.get(a.caseId)} now={now} onAcknowledge={ack} />
            ))}
          </ul>
        </section>
      );
    });

  return (
    <Page title={`Larm för ${agencyName(session.agencyId)}`}>
      <p class="stream-state" data-state={stream}>
        Direktuppdatering: <strong>{STATE_TEXT[stream]}</strong>
      </p>
      {error ? <Notice kind="error">{error}</Notice> : null}
      <form class="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filtrera larm">
        <SelectField id="larm-niva" label="Nivå" filter value={filter.level} onValue={set('level')} placeholder="Alla nivåer" options={[3, 2, 1].map((l) => [String(l), label(ALERT_LEVELS, String(l))] as const)} />
        <SelectField id="larm-typ" label="Typ av glapp" filter value={filter.kind} onValue={set('kind')} placeholder="Alla typer" options={Object.entries(GAP_KINDS)} />
        <SelectField id="larm-alder" label="Öppet" filter value={filter.minDays} onValue={set('minDays')} placeholder="Hur länge som helst" options={Object.entries(AGES)} />
      </form>
      <p class="lead">
        {allOpen === 0
          ? 'Inga öppna larm. Nya larm visas här direkt när ett glapp uppstår.'
          : filtered
            ? `${open.length} av ${allOpen} öppna larm matchar filtret, per ärende, allvarligast först.`
            : `${open.length} öppna larm i ${groupByCase(open).length} ärenden, allvarligast först.`}
      </p>
      <section aria-labelledby="rubrik-oppna">
        <h2 id="rubrik-oppna">Öppna larm ({open.length})</h2>
        {open.length ? byCase('oppna', open, acknowledge) : <p class="muted">{filtered && allOpen ? 'Inga öppna larm matchar filtret.' : 'Inga öppna larm.'}</p>}
      </section>
      <section aria-labelledby="rubrik-kvitterade">
        <h2 id="rubrik-kvitterade">Kvitterade, väntar på att glappet stängs ({acknowledged.length})</h2>
        {acknowledged.length ? byCase('kvitterade', acknowledged) : <p class="muted">Inga kvitterade larm.</p>}
      </section>
    </Page>
  );
}
