/**
 * A place in the global order of the event log and of the alert stream: (tx, n), where `tx` is
 * the id of the transaction that wrote the row (xid8) and `n` its position (or alert change
 * seq) within the table.
 *
 * Why not the position alone: appends run in parallel, so a transaction that took position 7
 * may commit after one that took position 8. A reader that had moved past 8 would never see 7.
 * Transaction ids do not have that problem at the watermark: every transaction older than the
 * oldest one still running has ended, so rows with `tx` below it can no longer appear (the
 * technique of projections following PostgreSQL logs without a global lock). Readers therefore
 * take rows ordered by (tx, n) with `tx < log_watermark()` only: the oldest transaction of this
 * database still running at the reader's snapshot (migration 011 says how other databases'
 * transactions are left out).
 *
 * A long writing transaction in this database holds the watermark back: readers then wait
 * (later, never wrong). Appends and projections take milliseconds; `projections:rebuild
 * --check` holds one transaction for its whole run, so run it when a delayed alert stream is
 * acceptable.
 *
 * Written as "tx.n" (both decimal). A bare "n" is a place from before the order had a `tx`
 * (migration 011): rows of that time have tx = 0.
 */
export interface LogCursor {
  tx: string;
  n: string;
}

export const LOG_START: LogCursor = { tx: '0', n: '0' };

const FORMAT = /^(?:(\d{1,20})\.)?(\d{1,19})$/;

export function formatCursor(c: LogCursor): string {
  return `${c.tx}.${c.n}`;
}

/** The cursor that `text` names, or null when it is not one. */
export function parseCursor(text: string): LogCursor | null {
  const m = FORMAT.exec(text);
  if (!m) return null;
  return { tx: stripZeros(m[1] ?? '0'), n: stripZeros(m[2]!) };
}

/** Orders cursors as the log does: by transaction, then position. */
export function compareCursors(a: LogCursor, b: LogCursor): number {
  const tx = BigInt(a.tx) - BigInt(b.tx);
  if (tx !== 0n) return tx < 0n ? -1 : 1;
  const n = BigInt(a.n) - BigInt(b.n);
  return n === 0n ? 0 : n < 0n ? -1 : 1;
}

/**
 * SQL that keeps rows after the cursor given as parameters $txParam, $nParam and older than the
 * watermark. `complete` drops the watermark, for a reader that holds every append off
 * (the append lock, exclusively) and so knows that nothing is in flight.
 */
export function afterCursorSql(tx: string, n: string, txParam: number, nParam: number, complete = false): string {
  const after = `(${tx}, ${n}) > ($${txParam}::xid8, $${nParam}::bigint)`;
  return complete ? after : `${after} AND ${tx} < (SELECT log_watermark())`;
}

function stripZeros(s: string): string {
  return s.replace(/^0+(?=\d)/, '');
}
