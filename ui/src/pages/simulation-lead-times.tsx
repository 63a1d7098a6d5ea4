import { formatNumber } from '../format';
import { AGENCY_TYPES, AREAS, label } from '../labels';
import type { SimulationResult } from '../types';

type LeadTimes = SimulationResult['leadTimes'];

/** Which lead times the agencies answered with: measured from the cases, or the simulator's own. */
export function SimulationLeadTimes({ leadTimes }: { leadTimes: LeadTimes }) {
  if (leadTimes.source === 'given') {
    return <p>Myndigheterna svarar med simulatorns antagna handläggningstider.</p>;
  }
  const measured = leadTimes.pairs.filter((p) => p.basis === 'measured').length;
  return (
    <div class="table-wrap">
      <table>
        <caption>
          Handläggningstider som simuleringen bygger på: {formatNumber(measured)} av {formatNumber(leadTimes.pairs.length)} uppmätta ur ärendena
          {leadTimes.minObservations ? ` (minst ${formatNumber(leadTimes.minObservations)} insatser behövs)` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">Myndighetstyp</th>
            <th scope="col">Område</th>
            <th scope="col">Källa</th>
            <th scope="col">Insatser</th>
            <th scope="col">Median, dagar</th>
          </tr>
        </thead>
        <tbody>
          {leadTimes.pairs.map((p) => (
            <tr key={`${p.agencyType}/${p.area}`}>
              <th scope="row">{label(AGENCY_TYPES, p.agencyType)}</th>
              <td>{label(AREAS, p.area)}</td>
              <td>{p.basis === 'measured' ? 'Uppmätt' : p.reason === 'too_few_observations' ? 'Antagen (för få insatser)' : 'Antagen'}</td>
              <td>{p.observations === undefined ? '–' : formatNumber(p.observations)}</td>
              <td>{p.basis === 'measured' ? (p.medianDays == null ? 'över mätperioden' : formatNumber(Math.round(p.medianDays))) : '–'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
