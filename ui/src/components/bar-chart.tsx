import { formatNumber } from '../format';

export interface Bar {
  label: string;
  value: number | null;
  /** A second, darker part of the bar (e.g. "utan glapp" of "alla"), drawn from the left. */
  part?: number | null;
}

const percent = (n: number | null | undefined, max: number) => `${n ? Math.max(0.5, (n / max) * 100) : 0}%`;

/**
 * Horizontal bars as a table: no chart library. A screen reader reads the numbers as a table
 * with a caption; the bars beside them are decoration. Text stays text, so it keeps its size
 * in a narrow column, where a scaled SVG's labels would shrink.
 */
export function BarChart({ title, bars, unit = '', partLabel, empty = 'Inga värden ännu.', category = 'Kategori', measure = 'Antal' }: {
  title: string;
  bars: Bar[];
  unit?: string;
  partLabel?: string;
  empty?: string;
  /** What the rows are and what the numbers count: the headings a screen reader announces. */
  category?: string;
  measure?: string;
}) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const hasParts = Boolean(partLabel) && bars.some((b) => b.part != null);
  if (bars.length === 0) {
    return (
      <div class="chart">
        <p class="chart-title">{title}</p>
        <p class="muted">{empty}</p>
      </div>
    );
  }
  return (
    <div class="chart">
      <table class="bar-chart">
        <caption class="chart-title">{title}</caption>
        <thead class="visually-hidden">
          <tr>
            <th scope="col">{category}</th>
            <th scope="col">{measure}{hasParts ? ` (varav ${partLabel})` : ''}</th>
          </tr>
        </thead>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>
                <div class="bar-cell">
                  <span class="bar-track" aria-hidden="true">
                    <span class={`bar${b.part != null ? ' bar-total' : ''}`} style={{ width: percent(b.value, max) }} />
                    {b.part ? <span class="bar bar-part" style={{ width: percent(b.part, max) }} /> : null}
                  </span>
                  <span class="bar-value">
                    {formatNumber(b.value)}
                    {unit}
                    {hasParts && b.part != null ? <span class="muted"> ({formatNumber(b.part)} {partLabel})</span> : null}
                  </span>
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {hasParts ? (
        <p class="chart-legend" aria-hidden="true">
          <span class="legend-swatch legend-all" /> alla <span class="legend-swatch legend-part" /> {partLabel}
        </p>
      ) : null}
    </div>
  );
}
