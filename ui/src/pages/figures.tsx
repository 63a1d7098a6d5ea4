import type { ComponentChildren } from 'preact';
import { useApp } from '../app-context';
import { BarChart, type Bar } from '../components/bar-chart';
import { Button, Loading, Notice, Page } from '../components/ui';
import { formatNumber, formatShare } from '../format';
import { AREAS, PHASES, label } from '../labels';
import type { MetricsSummary } from '../types';
import { useApi } from '../use-api';

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

/** Brå's "synliggör resultaten": the leaders' figures from GET /v1/metrics/summary. */
export function FiguresPage() {
  const { agencyName, announce } = useApp();
  const summary = useApi<MetricsSummary>('/v1/metrics/summary');
  const m = summary.data;

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
              {m.shareOfReleasesWithoutGap !== undefined ? <Figure label="Andel frigivningar utan glapp" value={formatShare(m.shareOfReleasesWithoutGap)} /> : null}
              {m.shareReleasedWithoutExternalContact !== undefined ? (
                <Figure label="Frigivna utan extern kontakt före frigivning" value={formatShare(m.shareReleasedWithoutExternalContact)} note="Riksrevisionen fann ca 40 % år 2009" />
              ) : null}
              {m.coordinationMeetingsPerOpenCase !== undefined ? (
                <Figure label="Samordningsmöten per öppet ärende" value={formatNumber(m.coordinationMeetingsPerOpenCase)} note="Tumregel: 4–5" />
              ) : null}
              {m.followUpsOnTime ? (
                <Figure label="Uppföljningar gjorda i tid" value={formatShare(m.followUpsOnTime.share)} note={`${formatNumber(m.followUpsOnTime.onTime)} av ${formatNumber(m.followUpsOnTime.due)}`} />
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
              {m.releasesWithin12WeeksInPlace ? (
                <BarChart
                  title="Frigivningar inom 12 veckor med insatsen på plats"
                  bars={[
                    { label: 'Boende', value: m.releasesWithin12WeeksInPlace.boende },
                    { label: 'Behandling', value: m.releasesWithin12WeeksInPlace.behandling },
                    { label: 'Sysselsättning', value: m.releasesWithin12WeeksInPlace.sysselsattning },
                  ]}
                />
              ) : null}
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
        </>
      )}
    </Page>
  );
}
