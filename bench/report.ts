import type { AlertLatenessResult } from './alert-lateness';
import type { ApiLatencyResult } from './api-latency';
import type { FiguresResult } from './figures';
import type { LifecycleResult } from './lifecycle';
import type { ProjectionLagResult } from './projection-lag';
import type { RebuildResult } from './rebuild';
import type { WorkerMemoryResult } from './worker-memory';

export interface BenchResults {
  lifecycle: LifecycleResult | null;
  alertLateness: AlertLatenessResult | null;
  apiLatency: ApiLatencyResult | null;
  projectionLag: ProjectionLagResult | null;
  workerMemory: WorkerMemoryResult | null;
  figures: FiguresResult | null;
  rebuild: RebuildResult | null;
}

export interface BenchReport {
  date: string;
  machine: { cpus: number; memGiB: number; cpuModel: string; loadAvg: { start: number[]; end: number[] } };
  results: BenchResults;
  quick: boolean;
  notes: Record<string, unknown>;
}

/** An aim: the figure, its limit, and how far from it (≥ 1 met; the lower, the worse). */
export interface AimCheck { what: string; value: number; aim: string; score: number; met: boolean }

/**
 * The aims. Two hold "at 10,000 open cases": a reduced (--quick) run does not reach that
 * size, so they are shown there for information and not judged (`fullSize: false`).
 */
export function checkAims(r: BenchResults, opts: { fullSize: boolean }): AimCheck[] {
  const out: AimCheck[] = [];
  const atLeast = (what: string, value: number, limit: number, aim: string) =>
    out.push({ what, value, aim, score: value / limit, met: value >= limit });
  const below = (what: string, value: number, limit: number, aim: string) =>
    out.push({ what, value, aim, score: limit / Math.max(value, 1e-9), met: value < limit });
  if (r.lifecycle) atLeast('lifecycle ratio', r.lifecycle.ratio, 0.5, '≥ 0.5');
  if (r.alertLateness) below('alert lateness p99 (ms)', r.alertLateness.p99Ms, 1000, '< 1000 ms');
  if (r.apiLatency && opts.fullSize) below('inbox p99 (ms)', r.apiLatency.inbox.p99Ms, 20, '< 20 ms');
  if (r.workerMemory && opts.fullSize) below('worker RSS at 10,000 cases (MiB)', r.workerMemory.rssMiB, 1024, '< 1024 MiB');
  return out;
}

const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '–');

export function renderTable(r: BenchResults, opts: { fullSize: boolean }): string {
  const aims = new Map(checkAims(r, opts).map((a) => [a.what, a]));
  const mark = (key: string) => {
    const a = aims.get(key);
    if (a) return `${a.aim.padEnd(12)} ${a.met ? 'met' : 'MISSED'}`;
    return opts.fullSize ? '' : '(judged at 10,000 cases only)';
  };
  const rows: [string, string, string, string][] = [];
  if (r.lifecycle) {
    const l = r.lifecycle;
    rows.push(['lifecycle', 'cases/s · baseline/s · ratio', `${f(l.perSecond, 2)} · ${f(l.baselinePerSecond, 2)} · ${f(l.ratio, 3)}`, mark('lifecycle ratio')]);
    rows.push(['', 'cases · seconds', `${l.cases} · ${f(l.seconds, 1)} s`, '']);
    rows.push(['', 'cases/s without the payload codec · codec cost', `${f(l.withoutCodecPerSecond, 2)} · ${f(l.codecCost * 100, 1)} %`, '']);
  }
  if (r.alertLateness) {
    const a = r.alertLateness;
    rows.push(['alertLateness', `p50 · p99 · max (n=${a.n})`, `${f(a.p50Ms, 0)} · ${f(a.p99Ms, 0)} · ${f(a.maxMs, 0)} ms`, mark('alert lateness p99 (ms)')]);
  }
  if (r.apiLatency) {
    const a = r.apiLatency;
    rows.push(['apiLatency', 'GET /v1/tasks p50 · p99', `${f(a.inbox.p50Ms, 2)} · ${f(a.inbox.p99Ms, 2)} ms`, mark('inbox p99 (ms)')]);
    rows.push(['', 'GET /v1/alerts p50 · p99', `${f(a.alerts.p50Ms, 2)} · ${f(a.alerts.p99Ms, 2)} ms`, '']);
    rows.push(['', 'SELECT 1 p50 · p99', `${f(a.selectOne.p50Ms, 2)} · ${f(a.selectOne.p99Ms, 2)} ms`, '']);
    rows.push(['', 'inbox ÷ SELECT 1 (p50 · p99)', `×${f(a.inbox.p50Ms / a.selectOne.p50Ms)} · ×${f(a.inbox.p99Ms / a.selectOne.p99Ms)}`, '']);
    rows.push(['', 'inbox query p50 · p99, without audit', `${f(a.inboxQuery.p50Ms, 2)} · ${f(a.inboxQuery.p99Ms, 2)} ms`, '']);
    rows.push(['', 'inbox query p50 · p99, with its audit write', `${f(a.inboxQueryAudited.p50Ms, 2)} · ${f(a.inboxQueryAudited.p99Ms, 2)} ms`, '']);
  }
  if (r.projectionLag) rows.push(['projectionLag', 'accepted → in inbox p50 · p99', `${f(r.projectionLag.p50Ms, 2)} · ${f(r.projectionLag.p99Ms, 2)} ms`, '']);
  if (r.workerMemory) {
    const w = r.workerMemory;
    rows.push(['workerMemory', `RSS at ${w.cases.toLocaleString('en')} cases · per 1,000`, `${f(w.rssMiB, 0)} MiB · ${f(w.perThousandMiB, 1)} MiB`, mark('worker RSS at 10,000 cases (MiB)')]);
  }
  if (r.figures) {
    const g = r.figures;
    rows.push(['figures', `summary queries p50 · p99 at ${g.releasedCases.toLocaleString('en')} released`, `${f(g.query.p50Ms, 1)} · ${f(g.query.p99Ms, 1)} ms`, '']);
    rows.push(['', 'the queries before p50 · p99', `${f(g.queryBefore.p50Ms, 1)} · ${f(g.queryBefore.p99Ms, 1)} ms`, '']);
    rows.push(['', 'SELECT 1 p50 · p99', `${f(g.selectOne.p50Ms, 2)} · ${f(g.selectOne.p99Ms, 2)} ms`, '']);
    rows.push(['', 'commands p50 · p99, alone', `${f(g.commands.p50Ms, 1)} · ${f(g.commands.p99Ms, 1)} ms`, '']);
    rows.push(['', 'commands p50 · p99, 50 summary callers', `${f(g.commandsUnderFigures.p50Ms, 1)} · ${f(g.commandsUnderFigures.p99Ms, 1)} ms`, '']);
    rows.push(['', `summary calls (n=${g.summaryCalls.n}) p50 · p99 · 503s`, `${f(g.summaryCalls.p50Ms, 1)} · ${f(g.summaryCalls.p99Ms, 1)} ms · ${g.summaryCalls.unavailable}`, '']);
  }
  if (r.rebuild) rows.push(['rebuild', 'events · events/s', `${r.rebuild.events.toLocaleString('en')} · ${f(r.rebuild.eventsPerSecond, 0)}/s`, '']);
  const head: [string, string, string, string] = ['phase', 'figure', 'value', 'aim'];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[head, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
