import { formatNumber } from '../format';

export interface Series {
  name: string;
  values: readonly number[];
}

const W = 720;
const H = 260;
const PAD = { left: 52, right: 16, top: 14, bottom: 34 };
/** Told apart by dash as well as by colour (WCAG 1.4.1): solid, then dashed. */
const STROKES = [
  { color: '#1d4e89', dash: undefined },
  { color: '#a33a00', dash: '7 5' },
] as const;

const x = (k: number, n: number) => PAD.left + (n <= 1 ? 0 : (k / (n - 1)) * (W - PAD.left - PAD.right));
const y = (v: number, max: number) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);

/**
 * Lines over time as a plain SVG (no chart library), named and described for a screen reader,
 * with every number in a table under "Visa som tabell": the picture is for the eye, the table
 * for everything else.
 */
export function LineChart({ id, title, xLabels, series, category = 'Vecka' }: {
  id: string;
  title: string;
  /** One per value: the x axis (weeks). */
  xLabels: readonly string[];
  series: readonly Series[];
  category?: string;
}) {
  const n = xLabels.length;
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const summary = series.map((s) => `${s.name}: högst ${formatNumber(Math.max(0, ...s.values))}`).join('; ');
  const ticks = [0, Math.round(max / 2), max];
  const xTicks = n > 0 ? [...new Set([0, Math.floor((n - 1) / 2), n - 1])] : [];
  return (
    <figure class="chart line-chart" aria-labelledby={`${id}-rubrik`}>
      <figcaption id={`${id}-rubrik`} class="chart-title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={`${id}-rubrik ${id}-sammanfattning`} class="line-chart-svg">
        <desc id={`${id}-sammanfattning`}>{summary}</desc>
        {ticks.map((t) => (
          <g key={`y${t}`}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t, max)} y2={y(t, max)} class="grid-line" />
            <text x={PAD.left - 6} y={y(t, max) + 4} text-anchor="end" class="axis-label">
              {formatNumber(t)}
            </text>
          </g>
        ))}
        {xTicks.map((k) => (
          <text key={`x${k}`} x={x(k, n)} y={H - 10} text-anchor={k === 0 ? 'start' : k === n - 1 ? 'end' : 'middle'} class="axis-label">
            {xLabels[k]}
          </text>
        ))}
        {series.map((s, i) => {
          const stroke = STROKES[i % STROKES.length]!;
          return (
            <polyline
              key={s.name}
              points={s.values.map((v, k) => `${x(k, n).toFixed(1)},${y(v, max).toFixed(1)}`).join(' ')}
              fill="none"
              stroke={stroke.color}
              stroke-width="2.5"
              stroke-dasharray={stroke.dash}
            />
          );
        })}
      </svg>
      <p class="chart-legend" aria-hidden="true">
        {series.map((s, i) => (
          <span key={s.name} class="line-legend">
            <svg width="28" height="10" viewBox="0 0 28 10">
              <line x1="0" x2="28" y1="5" y2="5" stroke={STROKES[i % STROKES.length]!.color} stroke-width="3" stroke-dasharray={STROKES[i % STROKES.length]!.dash} />
            </svg>{' '}
            {s.name}
          </span>
        ))}
      </p>
      <details class="chart-table">
        <summary>Visa som tabell</summary>
        <div class="table-wrap">
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{category}</th>
                {series.map((s) => (
                  <th key={s.name} scope="col" class="num">
                    {s.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {xLabels.map((label, k) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {series.map((s) => (
                    <td key={s.name} class="num">
                      {formatNumber(s.values[k])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
