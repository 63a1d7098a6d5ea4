import type { Locator } from 'playwright-core';

/**
 * A table's body as a reader meets it: each row's header (its `th`) with the texts of its other
 * cells, in order. Waits for the table first.
 */
export async function tableRows(table: Locator): Promise<Map<string, string[]>> {
  await table.waitFor();
  const rows = table.locator('tbody tr');
  const out = new Map<string, string[]>();
  for (let k = 0, n = await rows.count(); k < n; k++) {
    const row = rows.nth(k);
    const head = ((await row.locator('th').count()) > 0 ? await row.locator('th').first().textContent() : '') ?? '';
    out.set(head.trim(), (await row.locator('td').allTextContents()).map((t) => t.trim()));
  }
  return out;
}

/** Numbers and shares as the interface writes them (ui/src/format.ts): `6 731`, `24 %`. */
export const swedishNumber = (n: number): string => new Intl.NumberFormat('sv-SE', { maximumFractionDigits: 1 }).format(n);
export const swedishShare = (n: number): string => new Intl.NumberFormat('sv-SE', { style: 'percent', maximumFractionDigits: 0 }).format(n);
