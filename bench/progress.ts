/**
 * A one-line progress bar on stderr. On a terminal it rewrites itself in place; otherwise
 * (CI, a log file) it prints a line every 10 % or 10 s, so a log stays short.
 */
export interface Progress {
  tick(n?: number): void;
  /** Sets the count outright (for work counted elsewhere). */
  set(done: number): void;
  done(summary?: string): void;
}

const WIDTH = 24;

export function progress(label: string, total: number): Progress {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  let count = 0;
  let lastDraw = 0;
  let lastPct = -1;
  let finished = false;
  let drawnCount = -1;

  const line = () => {
    const secs = (Date.now() - started) / 1000;
    const frac = total > 0 ? Math.min(1, count / total) : 1;
    const filled = Math.round(frac * WIDTH);
    const rate = secs > 0 ? count / secs : 0;
    const eta = rate > 0 && count < total ? ` eta ${Math.ceil((total - count) / rate)} s` : '';
    return `[${label}] ${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)} ${Math.floor(frac * 100)}% ` +
      `${count.toLocaleString('en')}/${total.toLocaleString('en')} ${rate.toFixed(1)}/s ${secs.toFixed(0)} s${eta}`;
  };
  const draw = (force = false) => {
    if (finished) return;
    const now = Date.now();
    const pct = total > 0 ? Math.floor((count / total) * 100) : 100;
    if (tty) {
      if (!force && now - lastDraw < 100) return;
      process.stderr.write(`\r${line()}\x1b[K`);
    } else {
      if (!force && pct < lastPct + 10 && now - lastDraw < 10_000) return;
      process.stderr.write(`${line()}\n`);
      lastPct = pct;
    }
    lastDraw = now;
    drawnCount = count;
  };
  draw(true);
  return {
    tick(n = 1) {
      count += n;
      draw();
    },
    set(done) {
      count = done;
      draw();
    },
    done(summary) {
      if (tty || drawnCount !== count) draw(true);
      finished = true;
      if (tty) process.stderr.write('\n');
      if (summary) process.stderr.write(`[${label}] ${summary}\n`);
    },
  };
}

/** A plain progress line for steps that have no count. */
export const say = (line: string) => process.stderr.write(`[bench] ${line}\n`);
