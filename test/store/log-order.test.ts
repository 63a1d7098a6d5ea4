import { compareCursors, formatCursor, LOG_START, parseCursor } from '../../store/log-order';

describe('log cursors', () => {
  it('are written "tx.n" and read back; a bare number is a place from before transactions were recorded', () => {
    expect(formatCursor({ tx: '1843', n: '42' })).toBe('1843.42');
    expect(parseCursor('1843.42')).toEqual({ tx: '1843', n: '42' });
    expect(parseCursor('42')).toEqual({ tx: '0', n: '42' });
    expect(parseCursor('007.010')).toEqual({ tx: '7', n: '10' });
    expect(parseCursor(formatCursor(LOG_START))).toEqual(LOG_START);
  });

  it('refuse anything else', () => {
    for (const bad of ['', 'x', '1.', '.1', '1.2.3', '-1', '1e3', ' 1', '1.2 ', '9'.repeat(21) + '.1']) expect(parseCursor(bad)).toBeNull();
  });

  it('order by transaction first, then position, beyond the range of a double', () => {
    const sorted = ['2.1', '1.9', '1.10', '0.500', '18446744073709551615.1', '18446744073709551614.2']
      .map((c) => parseCursor(c)!)
      .sort(compareCursors)
      .map(formatCursor);
    expect(sorted).toEqual(['0.500', '1.9', '1.10', '2.1', '18446744073709551614.2', '18446744073709551615.1']);
    expect(compareCursors({ tx: '5', n: '5' }, { tx: '5', n: '5' })).toBe(0);
  });
});
