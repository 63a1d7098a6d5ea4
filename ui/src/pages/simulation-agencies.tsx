import { useState } from 'preact/hooks';
import { BarChart } from '../components/bar-chart';
import { ComparisonTable } from '../components/comparison-table';
import { LineChart } from '../components/line-chart';
import { SelectField } from '../components/ui';
import { formatNumber } from '../format';
import { agenciesWithOpenWork, alertsOf, keysOf, openWorkSummary, simulatedAgencyName } from '../simulation-figures';
import type { PolicyReport } from '../types';

/** Per agency: the alerts each policy gave it, and its open work week by week. */
export function SimulationAgencies({ reports }: { reports: readonly PolicyReport[] }) {
  const columns = reports.map((r) => r.label);
  // The most alerted (under the first policy) first, as in the bars.
  const alerted = keysOf(reports, (r) => r.alertsByAgency).sort((a, b) => (reports[0] ? alertsOf(reports[0], b) - alertsOf(reports[0], a) : 0));
  const working = agenciesWithOpenWork(reports);
  const [chosen, setChosen] = useState('');
  const agency = working.includes(chosen) ? chosen : (working[0] ?? '');
  const weeks = reports[0]?.openWork.weekStarts ?? [];
  const levels = (r: PolicyReport, a: string) => {
    const l = r.alertsByAgency[a];
    return l ? `${formatNumber(l[1])} / ${formatNumber(l[2])} / ${formatNumber(l[3])}` : '–';
  };
  const meanPeak = (r: PolicyReport, a: string) => {
    const w = openWorkSummary(r, a);
    return w ? `${formatNumber(w.mean)} / ${formatNumber(w.peak)}` : '–';
  };

  return (
    <>
      <section aria-labelledby="rubrik-larm-myndighet" class="panel">
        <h2 id="rubrik-larm-myndighet">Larm per myndighet</h2>
        <div class="columns">
          {reports.map((r, i) => (
            <BarChart
              key={i}
              title={`Larm per myndighet: ${r.label}`}
              category="Myndighet"
              measure="Larm"
              partLabel="nivå 3"
              empty="Inga larm."
              bars={alerted
                .map((a) => ({ label: simulatedAgencyName(a), value: alertsOf(r, a), part: r.alertsByAgency[a]?.[3] ?? 0 }))
                .filter((b) => b.value > 0)
                .sort((x, y) => y.value - x.value || x.label.localeCompare(y.label, 'sv'))}
            />
          ))}
        </div>
        <ComparisonTable
          caption="Larm per myndighet, nivå 1 / 2 / 3"
          heading="Myndighet"
          columns={columns}
          rows={alerted.map((a) => ({ key: a, label: simulatedAgencyName(a), values: reports.map((r) => levels(r, a)) }))}
          empty="Inga larm."
        />
      </section>

      <section aria-labelledby="rubrik-arbete-vecka" class="panel">
        <h2 id="rubrik-arbete-vecka">Öppna insatser per vecka</h2>
        <p class="hint">Varje myndighets öppna insatser varje måndag, från tolv veckor före årets första frigivning till sexton veckor efter den sista.</p>
        {working.length === 0 ? (
          <p class="muted">Ingen myndighet hade öppna insatser.</p>
        ) : (
          <>
            <SelectField
              id="sim-myndighet"
              label="Myndighet i diagrammet"
              filter
              value={agency}
              onValue={setChosen}
              options={working.map((a) => [a, simulatedAgencyName(a)] as const)}
            />
            <LineChart
              id="diagram-arbete"
              title={`Öppna insatser per vecka: ${simulatedAgencyName(agency)}`}
              xLabels={weeks}
              series={reports.map((r) => ({ name: r.label, values: r.openWork.byAgency[agency] ?? weeks.map(() => 0) }))}
            />
            <ComparisonTable
              caption="Öppna insatser per vecka, medel / högst"
              heading="Myndighet"
              columns={columns}
              rows={working.map((a) => ({ key: a, label: simulatedAgencyName(a), values: reports.map((r) => meanPeak(r, a)) }))}
            />
          </>
        )}
      </section>
    </>
  );
}
