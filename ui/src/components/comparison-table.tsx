export interface ComparisonRow {
  key: string;
  label: string;
  /** One cell per column, already written out. */
  values: readonly string[];
}

/**
 * Two (or more) policies side by side: one row per figure, one column per policy, so a screen
 * reader announces the policy with every number.
 */
export function ComparisonTable({ caption, heading, columns, rows, empty = 'Inget att visa.' }: {
  caption: string;
  heading: string;
  columns: readonly string[];
  rows: readonly ComparisonRow[];
  empty?: string;
}) {
  return (
    <div class="table-wrap">
      <table class="comparison">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{heading}</th>
            {columns.map((c, i) => (
              <th key={i} scope="col" class="num">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 ? (
            <tr>
              <td colSpan={columns.length + 1}>{empty}</td>
            </tr>
          ) : (
            rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">{r.label}</th>
                {r.values.map((v, i) => (
                  <td key={i} class="num">
                    {v}
                  </td>
                ))}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  );
}
