import type { z } from 'zod';
import type { caseExportSchema } from '../../../api/schemas/export';
import { Loading, Notice, Page } from '../components/ui';
import { useApp } from '../app-context';
import { formatDate, formatPrecise } from '../format';
import { ALERT_STATUSES, AREAS, EVENT_TYPES, GAP_KINDS, INTERVENTION_STATUSES, PHASES, label } from '../labels';
import { actorText, eventSummary } from '../event-text';
import { Link } from '../router';
import { useApi } from '../use-api';
import { AccessLogTable } from '../components/access-log-table';

type CaseExport = z.infer<typeof caseExportSchema>;

/**
 * The client's register extract (GDPR art. 15), printable: everything held about the client,
 * in Swedish, from GET /v1/cases/{id}/export. The only page that shows the whole personal
 * identity number; opening it is logged like every read.
 */
export function CaseExportPage({ caseId }: { caseId: string }) {
  const { agencyName } = useApp();
  const path = `/v1/cases/${encodeURIComponent(caseId)}/export`;
  const x = useApi<CaseExport>(path);
  if (x.error && !x.data) {
    return (
      <Page title="Registerutdrag">
        <Notice kind="error">{x.error.message}</Notice>
        <p>
          <Link href={`/arenden/${encodeURIComponent(caseId)}`}>Till ärendet</Link>
        </p>
      </Page>
    );
  }
  const d = x.data;
  if (!d) return <Loading what="Hämtar registerutdraget" />;
  const trail = { all: d.trail, agencyName };
  const download = URL.createObjectURL(new Blob([JSON.stringify(d, null, 2)], { type: 'application/json' }));
  return (
    <Page
      title={`Registerutdrag för ${d.identity.name}`}
      actions={
        <div class="no-print actions">
          <button type="button" class="button" onClick={() => window.print()}>
            Skriv ut
          </button>{' '}
          <a class="button secondary" href={download} download={`registerutdrag-${d.caseId}.json`}>
            Ladda ner som JSON
          </a>
        </div>
      }
    >
      <p>
        Utdraget visar alla uppgifter som Glappfri har om klienten i detta ärende, enligt
        dataskyddsförordningen artikel 15. Framställt {formatPrecise(d.exportedAt)}.
      </p>
      <section class="panel" aria-labelledby="utdrag-identitet">
        <h2 id="utdrag-identitet">Identitet</h2>
        <dl class="facts">
          <dt>Namn</dt>
          <dd>{d.identity.name}</dd>
          <dt>Personnummer</dt>
          <dd>{d.identity.personalIdentityNumber ?? 'Inte registrerat'}</dd>
          <dt>Ärende</dt>
          <dd>{d.caseId}</dd>
          <dt>Skede</dt>
          <dd>{label(PHASES, d.case.phase)}</dd>
          <dt>Samordnande myndighet</dt>
          <dd>{agencyName(d.case.coordinatorAgencyId)}</dd>
          <dt>Klientens egen syn</dt>
          <dd>{d.case.clientView ?? '–'}</dd>
        </dl>
      </section>
      <section class="panel" aria-labelledby="utdrag-plan">
        <h2 id="utdrag-plan">Planen</h2>
        <table>
          <caption>Insatser i planen ({d.case.interventions.length})</caption>
          <thead>
            <tr><th scope="col">Insats</th><th scope="col">Område</th><th scope="col">Ansvarig</th><th scope="col">Klar senast</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {d.case.interventions.map((i) => (
              <tr key={i.interventionId}>
                <td>{i.title}</td>
                <td>{label(AREAS, i.area)}</td>
                <td>{agencyName(i.agencyId)}</td>
                <td>{formatDate(i.dueAt)}</td>
                <td>{label(INTERVENTION_STATUSES, i.status)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="utdrag-handelser">
        <h2 id="utdrag-handelser">Händelser</h2>
        <table>
          <caption>Allt som har beslutats och registrerats, i ordning ({d.trail.length})</caption>
          <thead>
            <tr><th scope="col">Tid</th><th scope="col">Händelse</th><th scope="col">Av</th><th scope="col">Uppgifter</th></tr>
          </thead>
          <tbody>
            {d.trail.map((e) => (
              <tr key={e.version}>
                <td>{formatPrecise(e.occurredAt)}</td>
                <td>{label(EVENT_TYPES, e.type)}</td>
                {/* In words, as on the case page: the client reads this, not the field names (the download has those). */}
                <td>{actorText(e, trail)}</td>
                <td>{eventSummary(e, trail)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel" aria-labelledby="utdrag-larm">
        <h2 id="utdrag-larm">Larm</h2>
        {d.alerts.length === 0 ? <p>Inga larm.</p> : (
          <table>
            <caption>Larm om glapp i planen ({d.alerts.length})</caption>
            <thead>
              <tr><th scope="col">Höjt</th><th scope="col">Slag</th><th scope="col">Till</th><th scope="col">Meddelande</th><th scope="col">Status</th></tr>
            </thead>
            <tbody>
              {d.alerts.map((a) => (
                <tr key={a.alertId}>
                  <td>{formatPrecise(a.raisedAt)}</td>
                  <td>{label(GAP_KINDS, a.kind)}</td>
                  <td>{agencyName(a.agencyId)}</td>
                  <td>{a.message}</td>
                  <td>{label(ALERT_STATUSES, a.status)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel" aria-labelledby="utdrag-utskick">
        <h2 id="utdrag-utskick">Utskick</h2>
        {d.deliveries.length === 0 ? <p>Inga utskick om klienten.</p> : (
          <table>
            <caption>Aviseringar som skickats om klienten ({d.deliveries.length})</caption>
            <thead>
              <tr><th scope="col">Skapad</th><th scope="col">Till</th><th scope="col">Kanal</th><th scope="col">Ämne</th><th scope="col">Status</th></tr>
            </thead>
            <tbody>
              {d.deliveries.map((u) => (
                <tr key={u.deliveryId}>
                  <td>{formatPrecise(u.createdAt)}</td>
                  <td>{agencyName(u.agencyId)}</td>
                  <td>{u.channel === 'email' ? 'E-post' : 'Webhook'}</td>
                  <td>{u.subject}</td>
                  <td>{u.status}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section class="panel" aria-labelledby="utdrag-logg">
        <h2 id="utdrag-logg">Vem har läst uppgifterna</h2>
        <AccessLogTable entries={d.accessLog} caption={`Loggutdrag, senaste först (${d.accessLog.length} läsningar)`} />
      </section>
      <section class="panel" aria-labelledby="utdrag-lagring">
        <h2 id="utdrag-lagring">Var uppgifterna finns och hur de skyddas</h2>
        <dl class="facts">
          {d.storage.map((p) => [<dt key={`${p.what}-t`}>{p.what}</dt>, <dd key={`${p.what}-d`}>{p.where}. {p.protection}.</dd>])}
        </dl>
      </section>
    </Page>
  );
}
