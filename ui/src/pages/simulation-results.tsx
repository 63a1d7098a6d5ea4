import { BarChart } from '../components/bar-chart';
import { ComparisonTable, type ComparisonRow } from '../components/comparison-table';
import { formatNumber, formatShare } from '../format';
import { AREAS, label } from '../labels';
import { gapShare, keysOf } from '../simulation-figures';
import type { PolicyReport, SimulationResult } from '../types';
import { SimulationAgencies } from './simulation-agencies';
import { SimulationLeadTimes } from './simulation-lead-times';

const row = (key: string, text: string, reports: readonly PolicyReport[], cell: (r: PolicyReport) => string): ComparisonRow => ({
  key,
  label: text,
  values: reports.map(cell),
});

/** The policies side by side: the year's releases, what was open at them, alerts, reminders, follow-ups. */
export function SimulationResults({ result }: { result: SimulationResult }) {
  const { reports } = result;
  const columns = reports.map((r) => r.label);
  const areas = keysOf(reports, (r) => r.openAtReleaseByArea);
  const overall: ComparisonRow[] = [
    row('releases', 'Frigivningar', reports, (r) => formatNumber(r.releases)),
    row('gap', 'Frigivningar med glapp (krävd insats öppen vid frigivningen)', reports, (r) => `${formatNumber(r.releasesWithGap)} (${formatShare(gapShare(r))})`),
    row('successor', 'Frigivningar utan någon som tog över helhetsansvaret', reports, (r) => formatNumber(r.releasesWithoutSuccessor)),
    row('level1', 'Larm nivå 1', reports, (r) => formatNumber(r.alertsByLevel[1])),
    row('level2', 'Larm nivå 2', reports, (r) => formatNumber(r.alertsByLevel[2])),
    row('level3', 'Larm nivå 3', reports, (r) => formatNumber(r.alertsByLevel[3])),
    row('reminders', 'Påminnelser skickade', reports, (r) => formatNumber(r.remindersSent)),
    row('followups', 'Missade uppföljningar', reports, (r) => `${formatNumber(r.followUpsMissed)} av ${formatNumber(r.followUps)}`),
  ];
  const openAtRelease = areas.map((a) => row(a, label(AREAS, a), reports, (r) => formatNumber(r.openAtReleaseByArea[a] ?? 0)));

  return (
    <section aria-labelledby="rubrik-resultat">
      <div class="panel">
        <h2 id="rubrik-resultat">Resultat</h2>
        <p>
          {formatNumber(result.releases)} frigivningar under ett år, slumpfrö {result.seed}. Simuleringen tog {formatNumber(result.seconds)} sekunder (
          {formatNumber(Math.round(result.eventsPerSecond))} händelser per sekund). Inga riktiga ärenden berördes.
        </p>
        <SimulationLeadTimes leadTimes={result.leadTimes} />
        <ComparisonTable caption="Frigivningar, larm och uppföljningar" heading="Mått" columns={columns} rows={overall} />
        <ComparisonTable
          caption="Krävda insatser öppna vid frigivningen, per behovsområde"
          heading="Behovsområde"
          columns={columns}
          rows={openAtRelease}
          empty="Inga krävda insatser var öppna vid någon frigivning."
        />
        <div class="columns">
          {reports.map((r, i) => (
            <BarChart
              key={i}
              title={`Larm per nivå: ${r.label}`}
              category="Nivå"
              measure="Antal larm"
              bars={([1, 2, 3] as const).map((l) => ({ label: `Nivå ${l}`, value: r.alertsByLevel[l] }))}
            />
          ))}
        </div>
      </div>
      <SimulationAgencies reports={reports} />
    </section>
  );
}
