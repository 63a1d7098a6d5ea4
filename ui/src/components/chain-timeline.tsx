import type { CaseView } from '../types';
import { Badge, Time } from './ui';

const DAY_MS = 86_400_000;

/** "3 dagar", or hours, minutes and seconds when a policy is compressed (tests, demos). */
function amount(ms: number): string {
  if (ms >= DAY_MS) return `${Math.round(ms / DAY_MS)} ${Math.round(ms / DAY_MS) === 1 ? 'dag' : 'dagar'}`;
  if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} tim`;
  if (ms >= 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${Math.max(1, Math.round(ms / 1000))} s`;
}

/** `P14D` as Swedish text, for the common policy units. */
function duration(iso: string): string {
  const m = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso);
  if (!m) return iso;
  const parts = [[m[1], 'v'], [m[2], 'd'], [m[3], 'tim'], [m[4], 'min'], [m[5], 's']].filter(([n]) => n && n !== '0');
  return parts.length ? parts.map(([n, u]) => `${n} ${u}`).join(' ') : 'ingen tid';
}

/**
 * The plan's chains against the calendar: for each intervention that waits for others, when
 * those are due, its own due time, the earliest it can now be done, and the release. A table a
 * screen reader reads row by row; the bar beside it places the same dates on one time axis
 * (decoration, hidden from assistive technology).
 */
export function ChainTimeline({ view }: { view: CaseView }) {
  if (view.chains.length === 0) return null;
  const byId = new Map(view.interventions.map((i) => [i.interventionId, i]));
  const dates = view.chains.flatMap((c) => [
    ...c.waitsFor.map((id) => byId.get(id)?.completedAt ?? byId.get(id)?.dueAt ?? null),
    byId.get(c.interventionId)?.dueAt ?? null,
    c.earliestDoneAt,
  ]).concat(view.expectedReleaseAt ?? null).filter((d): d is string => d !== null).map((d) => Date.parse(d));
  const start = Math.min(...dates, Date.now());
  const end = Math.max(...dates, Date.now() + 1);
  const at = (iso: string | null | undefined) => (iso ? `${((Date.parse(iso) - start) / (end - start)) * 100}%` : null);
  return (
    <table class="chain-table">
      <caption>Insatser som väntar på andra, och om kedjan hinner före frigivningen</caption>
      <thead>
        <tr>
          <th scope="col">Insats</th>
          <th scope="col">Väntar på</th>
          <th scope="col">Behöver efter det</th>
          <th scope="col">Senast klar</th>
          <th scope="col">Kan bli klar tidigast</th>
          <th scope="col">Läge</th>
          <th scope="col" class="visually-hidden">Tidslinje</th>
        </tr>
      </thead>
      <tbody>
        {view.chains.map((c) => {
          const i = byId.get(c.interventionId);
          const before = c.waitsFor.map((id) => byId.get(id)).filter((x) => x !== undefined);
          const ready = before.map((p) => p.completedAt ?? p.dueAt).filter((d): d is string => Boolean(d)).sort().at(-1) ?? null;
          return (
            <tr key={c.interventionId}>
              <th scope="row">{i?.title ?? c.interventionId}</th>
              <td>{before.map((p) => `${p.title}${p.status === 'completed' ? ' (klar)' : ''}`).join(', ') || '–'}</td>
              <td>{duration(c.leadTime)}</td>
              <td><Time iso={i?.dueAt ?? null} /></td>
              <td><Time iso={c.earliestDoneAt} /></td>
              <td>
                {c.afterReleaseMs > 0 ? <Badge kind="danger">{amount(c.afterReleaseMs)} efter frigivningen</Badge>
                  : c.lateByMs > 0 ? <Badge kind="warning">{amount(c.lateByMs)} sen</Badge>
                  : c.earliestDoneAt ? <Badge kind="ok">Hinner</Badge> : <span class="muted">Datum saknas</span>}
              </td>
              <td aria-hidden="true" class="chain-track-cell">
                <span class="chain-track">
                  {ready && c.earliestDoneAt ? (
                    <span class={`chain-span${c.lateByMs > 0 ? ' chain-late' : ''}`} style={{ left: at(ready)!, width: `calc(${at(c.earliestDoneAt)!} - ${at(ready)!})` }} />
                  ) : null}
                  {i?.dueAt ? <span class="chain-mark chain-due" style={{ left: at(i.dueAt)! }} title="Senast klar" /> : null}
                  {view.expectedReleaseAt ? <span class="chain-mark chain-release" style={{ left: at(view.expectedReleaseAt)! }} title="Frigivning" /> : null}
                  <span class="chain-mark chain-now" style={{ left: at(new Date().toISOString())! }} title="Idag" />
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
