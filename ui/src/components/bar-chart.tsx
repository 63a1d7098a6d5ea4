import { formatNumber } from '../format';

export interface Bar {
  label: string;
  value: number | null;
  /** A second, darker part of the bar (e.g. "utan glapp" of "alla"), drawn from the left. */
  part?: number | null;
}

const ROW = 30;
const LABEL_W = 230;
const BAR_W = 360;
const VALUE_W = 90;

/**
 * Horizontal bars as inline SVG: no chart library. The figure's caption names it, and the
 * SVG's description lists every value, so the chart reads as text to a screen reader.
 */
export function BarChart({ id, title, bars, unit = '', partLabel, empty = 'Inga värden ännu.' }: { id: string; title: string; bars: Bar[]; unit?: string; partLabel?: string; empty?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value ?? 0));
  const height = bars.length * ROW + 10;
  const text = (b: Bar) => `${b.label}: ${formatNumber(b.value)}${unit}${b.part != null && partLabel ? `, varav ${formatNumber(b.part)} ${partLabel}` : ''}`;
  return (
    <figure class="chart" aria-labelledby={`${id}-rubrik`}>
      <figcaption id={`${id}-rubrik`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <svg
          viewBox={`0 0 ${LABEL_W + BAR_W + VALUE_W} ${height}`}
          width="100%"
          role="img"
          aria-labelledby={`${id}-rubrik ${id}-beskrivning`}
          preserveAspectRatio="xMinYMin meet"
        >
          <desc id={`${id}-beskrivning`}>{bars.map(text).join('; ')}</desc>
          {bars.map((b, i) => {
            const y = i * ROW + 5;
            const w = b.value ? Math.max(2, (b.value / max) * BAR_W) : 0;
            const pw = b.part ? Math.max(2, (b.part / max) * BAR_W) : 0;
            return (
              <g key={b.label} aria-hidden="true">
                <text x={LABEL_W - 8} y={y + ROW / 2} text-anchor="end" dominant-baseline="middle" class="chart-label">
                  {b.label}
                </text>
                <rect x={LABEL_W} y={y + 4} width={w} height={ROW - 10} class={b.part != null ? 'chart-bar chart-bar-total' : 'chart-bar'} rx="2" />
                {pw ? <rect x={LABEL_W} y={y + 4} width={pw} height={ROW - 10} class="chart-bar-part" rx="2" /> : null}
                <text x={LABEL_W + w + 6} y={y + ROW / 2} dominant-baseline="middle" class="chart-value">
                  {formatNumber(b.value)}
                  {unit}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {partLabel && bars.some((b) => b.part != null) ? (
        <p class="chart-legend" aria-hidden="true">
          <span class="legend-swatch legend-all" /> alla <span class="legend-swatch legend-part" /> {partLabel}
        </p>
      ) : null}
    </figure>
  );
}
