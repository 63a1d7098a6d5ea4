import { useApp } from '../app-context';
import { READ_KINDS, ROLES, label } from '../labels';
import type { AccessLogEntry } from '../types';
import { Time } from './ui';

/** Who read the client's data (the case page and the register extract show the same table). */
export function AccessLogTable({ entries, caption }: { entries: readonly AccessLogEntry[]; caption: string }) {
  const { agencyName } = useApp();
  return (
    <div class="table-wrap">
      <table class="access-log">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Tid</th>
            <th scope="col">Användare</th>
            <th scope="col">Roll</th>
            <th scope="col">Myndighet</th>
            <th scope="col">Vad</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e, n) => (
            <tr key={n}>
              <td>
                <Time iso={e.at} precise />
              </td>
              <td>{e.sub}</td>
              <td>{label(ROLES, e.role)}</td>
              <td>{agencyName(e.agencyId)}</td>
              <td>{READ_KINDS[e.what] ?? e.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
