import { useApp } from '../app-context';
import { Badge, Button, Loading, Notice, Page } from '../components/ui';
import { formatDate, formatNumber, formatShare } from '../format';
import { AREAS, label } from '../labels';
import { doneWithin, HORIZONS } from '../lead-time-figures';
import type { LeadTime, LeadTimes } from '../types';
import { useApi } from '../use-api';

function Basis({ item, min }: { item: LeadTime; min: number }) {
  if (item.basis === 'observed') return <span>Mätt</span>;
  return (
    <>
      <Badge kind="warning">För få observationer</Badge>{' '}
      <span class="muted">
        {formatNumber(item.observations)} av {formatNumber(min)} observationer som behövs: siffrorna är ett antagande, inte en mätning
      </span>
    </>
  );
}

/** GET /v1/forecast/lead-times: how long each agency takes, per need area, and how sure that is. */
export function ForecastPage() {
  const { session, agencyName, announce } = useApp();
  const lead = useApi<LeadTimes>('/v1/forecast/lead-times');
  const d = lead.data;
  const rows = [...(d?.items ?? [])].sort(
    (a, b) => agencyName(a.agencyId).localeCompare(agencyName(b.agencyId), 'sv') || label(AREAS, a.area).localeCompare(label(AREAS, b.area), 'sv'),
  );
  const whose = session.role === 'supervisor' ? 'din myndighet' : 'alla myndigheter';

  return (
    <Page
      title="Prognos: ledtider"
      actions={
        <Button type="button" kind="secondary" onClick={() => void lead.reload().then(() => announce('Ledtiderna är uppdaterade.'))}>
          Uppdatera
        </Button>
      }
    >
      {lead.error ? <Notice kind="error">{lead.error.message}</Notice> : null}
      {!d ? (
        lead.error ? null : <Loading what="Hämtar ledtider" />
      ) : (
        <section aria-labelledby="rubrik-ledtider" class="panel">
          <h2 id="rubrik-ledtider">Ledtider för {whose}</h2>
          <p class="hint">
            Dagar från tilldelning till klar insats, för insatser tilldelade de senaste {formatNumber(d.forecast.windowDays)} dagarna. Insatser som
            fortfarande är öppna räknas med så länge de har varit öppna, så att bara de snabba inte får tala. Med färre än{' '}
            {formatNumber(d.forecast.minObservations)} observationer för en myndighet och ett behovsområde är siffrorna ett antagande (mediantid{' '}
            {formatNumber(d.forecast.priorMedianDays)} dagar), inte en mätning: det står då ”för få observationer”.
          </p>
          <div class="table-wrap">
            <table class="lead-times">
              <caption>Ledtider per myndighet och behovsområde, {formatDate(d.asOf)}</caption>
              <thead>
                <tr>
                  <th scope="col">Myndighet</th>
                  <th scope="col">Behovsområde</th>
                  <th scope="col" class="num">Observationer</th>
                  <th scope="col" class="num">Varav klara</th>
                  <th scope="col" class="num">Mediantid (dagar)</th>
                  {HORIZONS.map((h) => (
                    <th key={h} scope="col" class="num">
                      Klart inom {h} dagar
                    </th>
                  ))}
                  <th scope="col">Underlag</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={6 + HORIZONS.length}>Inga tilldelade insatser under perioden.</td>
                  </tr>
                ) : (
                  rows.map((i) => (
                    <tr key={`${i.agencyId}/${i.area}`}>
                      <th scope="row">{agencyName(i.agencyId)}</th>
                      <td>{label(AREAS, i.area)}</td>
                      <td class="num">{formatNumber(i.observations)}</td>
                      <td class="num">{formatNumber(i.completed)}</td>
                      <td class="num">{i.medianDays == null ? 'inte hälften klara' : formatNumber(i.medianDays)}</td>
                      {HORIZONS.map((h) => (
                        <td key={h} class="num">
                          {formatShare(doneWithin(i, h))}
                        </td>
                      ))}
                      <td>
                        <Basis item={i} min={d.forecast.minObservations} />
                      </td>
                    </tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
      )}
    </Page>
  );
}
