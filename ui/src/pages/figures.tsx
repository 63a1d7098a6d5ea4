import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useApp } from '../app-context';
import { BarChart, type Bar } from '../components/bar-chart';
import { CompletionTable } from '../components/completion-table';
import { Button, Loading, Notice, Page, TextField } from '../components/ui';
import { formatNumber, formatShare } from '../format';
import { AREAS, PHASES, label } from '../labels';
import type { MetricsSummary } from '../types';
import { useApi } from '../use-api';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

const bars = (counts: Record<string, number | null>, name: (k: string) => string): Bar[] =>
  Object.entries(counts)
    .map(([k, v]) => ({ label: name(k), value: v }))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));

function Figure({ label: text, value, note }: { label: string; value: string; note?: ComponentChildren }) {
  return (
    <div class="figure">
      <dt>{text}</dt>
      <dd>
        <span class="figure-value">{value}</span>
        {note ? <span class="figure-note">{note}</span> : null}
      </dd>
    </div>
  );
}

/** Gaps of the case as a whole (no successor, no plan, no meeting) have no area of their own. */
const areaName = (k: string) => (k === 'case' ? 'Ärendet som helhet' : label(AREAS, k));

const inPlaceBars = (p: MetricsSummary['releasesWithin12WeeksInPlace']): Bar[] => [
  { label: 'Boende', value: p.boende },
  { label: 'Behandling', value: p.behandling },
  { label: 'Sysselsättning', value: p.sysselsattning },
];

/** Brå's "synliggör resultaten": the leaders' figures from GET /v1/metrics/summary. */
export function FiguresPage() {
  const { agencyName, announce } = useApp();
  // The period of the per agency and per area table: as typed, and as asked for (empty: the API's default, the last 90 days).
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState<{ from: string; to: string } | null>(null);
  const [periodErrors, setPeriodErrors] = useState<{ from?: string; to?: string }>({});
  const summary = useApi<MetricsSummary>(period ? `/v1/metrics/summary?${new URLSearchParams(period)}` : '/v1/metrics/summary');
  const m = summary.data;
  // A period the API refused (400) is shown at its field, not only as a notice.
  const refused = summary.error instanceof ApiError ? summary.error.fieldErrors : [];
  const fieldError = (f: 'from' | 'to') => periodErrors[f] ?? refused.find((e) => e.path === f)?.message;

  const choosePeriod = (e: Event) => {
    e.preventDefault();
    const errors: { from?: string; to?: string } = {};
    if (!DAY.test(from)) errors.from = 'Ange ett datum, ÅÅÅÅ-MM-DD.';
    if (!DAY.test(to)) errors.to = 'Ange ett datum, ÅÅÅÅ-MM-DD.';
    if (!errors.from && !errors.to && from > to) errors.from = 'Från-datumet får inte vara efter till-datumet.';
    setPeriodErrors(errors);
    if (errors.from || errors.to) return;
    setPeriod({ from, to });
    announce(`Visar perioden ${from} – ${to}.`, { quiet: true });
  };

  return (
    <Page
      title="Statistik"
      actions={
        <Button type="button" kind="secondary" onClick={() => void summary.reload().then(() => announce('Statistiken är uppdaterad.'))}>
          Uppdatera
        </Button>
      }
    >
      {summary.error ? <Notice kind="error">{summary.error.message}</Notice> : null}
      {!m ? (
        summary.error ? null : <Loading what="Hämtar statistik" />
      ) : (
        <>
          <section aria-labelledby="rubrik-nyckeltal" class="panel">
            <h2 id="rubrik-nyckeltal">Nyckeltal</h2>
            <dl class="figures">
              <Figure label="Frigivningar inom 12 veckor" value={formatNumber(m.releasesWithin12Weeks)} note={`${formatNumber(m.releasesWithin12WeeksWithoutGap)} utan glapp`} />
              {m.releasesWithin24Weeks != null ? (
                <Figure label="Frigivningar inom 24 veckor" value={formatNumber(m.releasesWithin24Weeks)} note={`${formatNumber(m.releasesWithin24WeeksWithoutGap)} utan glapp`} />
              ) : null}
              <Figure label="Andel frigivningar utan glapp" value={formatShare(m.shareOfReleasesWithoutGap)} note="Inget glapp av något slag öppet när klienten frigavs" />
              {m.shareReleasedWithoutExternalContact !== undefined ? (
                <Figure
                  label="Frigivna utan extern kontakt före frigivning"
                  value={formatShare(m.shareReleasedWithoutExternalContact)}
                  note="Inget samordningsmöte och ingen klar insats före frigivningen. Riksrevisionen fann ca 40 % år 2009"
                />
              ) : null}
              <Figure
                label="Samordningsmöten före frigivning per frigiven klient"
                value={formatNumber(m.coordinationMeetingsBeforeReleasePerReleasedClient)}
                note="Tumregel: 4–5"
              />
              <Figure label="Samordningsmöten hittills per ärende som ännu inte frigivits" value={formatNumber(m.coordinationMeetingsPerCaseNotYetReleased)} />
              <Figure
                label="Samordningsmöten per öppet ärende"
                value={formatNumber(m.coordinationMeetingsPerOpenCase)}
                note="Alla ärenden som inte är avslutade, även möten efter frigivning"
              />
              {m.followUpsOnTime ? (
                <Figure
                  label="Uppföljningar gjorda i tid"
                  value={formatShare(m.followUpsOnTime.share)}
                  note={`${formatNumber(m.followUpsOnTime.onTime)} av ${formatNumber(m.followUpsOnTime.due)} som har förfallit eller är gjorda`}
                />
              ) : null}
              {m.reoffence ? (
                <>
                  <Figure label="Nytt häkte inom 100 dagar" value={formatShare(m.reoffence.within100Days.share)} note={`${m.reoffence.within100Days.newRemand} av ${m.reoffence.within100Days.released} frigivna`} />
                  <Figure label="Nytt häkte inom 1 år" value={formatShare(m.reoffence.within1Year.share)} note={`${m.reoffence.within1Year.newRemand} av ${m.reoffence.within1Year.released} frigivna`} />
                </>
              ) : null}
            </dl>
          </section>

          <div class="columns">
            <section aria-labelledby="rubrik-faser" class="panel">
              <h2 id="rubrik-faser">Ärenden</h2>
              <BarChart title="Ärenden per fas" category="Fas" bars={Object.keys(PHASES).map((p) => ({ label: label(PHASES, p), value: m.casesByPhase[p] ?? 0 }))} />
              <BarChart
                title="Kommande frigivningar"
                partLabel="utan glapp"
                bars={[
                  { label: 'Inom 12 veckor', value: m.releasesWithin12Weeks, part: m.releasesWithin12WeeksWithoutGap },
                  ...(m.releasesWithin24Weeks != null ? [{ label: 'Inom 24 veckor', value: m.releasesWithin24Weeks, part: m.releasesWithin24WeeksWithoutGap ?? null }] : []),
                ]}
              />
              <BarChart
                title="Frigivningar inom 12 veckor med insatsen på plats"
                category="Insats"
                bars={inPlaceBars(m.releasesWithin12WeeksInPlace)}
              />
              <BarChart
                title="Frigivningar inom 24 veckor med insatsen på plats"
                category="Insats"
                bars={inPlaceBars(m.releasesWithin24WeeksInPlace)}
              />
            </section>
            <section aria-labelledby="rubrik-glapp" class="panel">
              <h2 id="rubrik-glapp">Öppna glapp</h2>
              <BarChart title="Öppna glapp per myndighet" category="Myndighet" bars={bars(m.openGapsByAgency, (k) => agencyName(k))} empty="Inga öppna glapp." />
              <BarChart title="Öppna glapp per behovsområde" category="Behovsområde" bars={bars(m.openGapsByArea, areaName)} empty="Inga öppna glapp." />
              <BarChart
                title="Mediantid från tilldelning till klar insats (dagar)"
                category="Myndighet"
                measure="Mediantid i dagar"
                unit=" d"
                bars={bars(m.medianDaysToCompleteByAgency, (k) => agencyName(k))}
                empty="Inga klara insatser ännu."
              />
            </section>
          </div>

          <section aria-labelledby="rubrik-period" class="panel">
            <h2 id="rubrik-period">Insatser under perioden</h2>
            <p class="hint">
              Tid till klar räknas från tilldelning, för insatser som blev klara under perioden. Andel klara i tid räknas för insatser vars sista
              datum ligger i perioden och har passerats eller som redan är klara; avböjda, ej behövda och avbrutna insatser räknas inte.
              Utan vald period visas de senaste 90 dagarna.
            </p>
            <form class="filters" onSubmit={choosePeriod} aria-label="Välj period">
              <TextField id="period-fran" label="Från" type="date" value={from} onValue={setFrom} error={fieldError('from')} class="input-medium" />
              <TextField id="period-till" label="Till" type="date" value={to} onValue={setTo} error={fieldError('to')} class="input-medium" />
              <Button type="submit" kind="secondary">
                Visa period
              </Button>
            </form>
            <CompletionTable
              caption={`Per myndighet, ${m.completion.period.from} – ${m.completion.period.to}`}
              heading="Myndighet"
              rows={m.completion.byAgency.map(({ agencyId, ...r }) => ({ key: agencyId, ...r }))}
              name={agencyName}
            />
            <CompletionTable
              caption={`Per behovsområde, ${m.completion.period.from} – ${m.completion.period.to}`}
              heading="Behovsområde"
              rows={m.completion.byArea.map(({ area, ...r }) => ({ key: area, ...r }))}
              name={(k) => label(AREAS, k)}
            />
          </section>
        </>
      )}
    </Page>
  );
}
