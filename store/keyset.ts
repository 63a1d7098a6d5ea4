/*
 * Keyset paging: the SQL condition "this row sorts strictly after the given sort key", for an
 * ORDER BY of the same columns. A page continues after the last row shown, so rows inserted
 * meanwhile never shift the rows still to come (as OFFSET would), and every row present when
 * paging began is shown exactly once (unless its own sort key changes in between).
 */

export interface KeyColumn {
  /** The column or expression, as it appears in the ORDER BY. */
  sql: string;
  /** The PostgreSQL type the cursor's value is cast to (`timestamptz`, `int`, `text`, `boolean`). */
  type: string;
  /** DESC in the ORDER BY (only for columns without NULLs). */
  desc?: boolean;
  /** May be NULL, sorted last (ASC NULLS LAST). */
  nullable?: boolean;
}

/**
 * `(c1 > v1) OR (c1 = v1 AND c2 > v2) OR …`, NULL-aware, with the values appended to `params`
 * (placeholders continue from params.length). The last column must be unique, so "after" is strict.
 */
export function keysetAfter(columns: KeyColumn[], values: readonly unknown[], params: unknown[]): string {
  if (values.length !== columns.length) throw new Error(`keyset: ${columns.length} key columns, ${values.length} values`);
  const placeholder = (i: number) => {
    params.push(values[i]);
    return `$${params.length}::${columns[i]!.type}`;
  };
  const disjuncts: string[] = [];
  const equal: string[] = [];
  columns.forEach((c, i) => {
    const v = values[i];
    if (v === null) {
      // Nothing sorts after NULL in a NULLS LAST column; rows tied at NULL continue on the next column.
      equal.push(`${c.sql} IS NULL`);
      return;
    }
    const p = placeholder(i);
    const after = c.desc ? `${c.sql} < ${p}` : c.nullable ? `(${c.sql} > ${p} OR ${c.sql} IS NULL)` : `${c.sql} > ${p}`;
    disjuncts.push([...equal, after].join(' AND '));
    equal.push(`${c.sql} = ${p}`);
  });
  return disjuncts.length === 0 ? 'false' : `(${disjuncts.map((d) => `(${d})`).join(' OR ')})`;
}

/** A timestamp column as text that casts back to exactly the same instant (microseconds included). */
export const keyText = (sql: string) => `to_json(${sql}) #>> '{}'`;
