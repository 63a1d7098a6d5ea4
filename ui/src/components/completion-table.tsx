import { formatNumber, formatShare } from '../format';
import type { CompletionRow } from '../types';

/**
 * The quarterly review's table (GET /v1/metrics/summary, `completion`): per agency or need area,
 * how long the work completed in the period took and how much of the work due in it was done
 * in time. A real table, with a caption naming the period, so a screen reader can walk it.
 */
export function CompletionTable({ caption, heading, rows, name }: {
  caption: string;
  /** The first column's header: Myndighet, Behovsområde. */
  heading: string;
  rows: readonly (CompletionRow & { key: string })[];
  name(key: string): string;
}) {
  return (
    <div class="table-wrap">
      <table class="completion">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            <th scope="col" class="num">Klara insatser</th>
            <th scope="col" class="num">Mediantid till klar (dagar)</th>
            <th scope="col" class="num">90:e percentilen (dagar)</th>
            <th scope="col" class="num">Insatser med sista datum</th>
            <th scope="col" class="num">Klara i tid</th>
            <th scope="col" class="num">Andel klara i tid</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={7}>Inga insatser under perioden.</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{name(r.key)}</th>
                <td class="num">{formatNumber(r.completed)}</td>
                <td class="num">{formatNumber(r.medianDays)}</td>
                <td class="num">{formatNumber(r.p90Days)}</td>
                <td class="num">{formatNumber(r.due)}</td>
                <td class="num">{formatNumber(r.onTime)}</td>
                <td class="num">{formatShare(r.onTimeShare)}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
