import { performance } from 'node:perf_hooks';
import { Client } from 'pg';

/**
 * Load from a process of its own (issue 20: the API's latency must not be measured by the
 * process that also serves it). Started by bench/api-latency.ts with `fork`; gets one message
 * { probes, rounds } and answers { samples } (milliseconds per probe), then exits.
 * One request at a time, round-robin over the probes, as a user's browser would.
 */
export type Probe =
  | { kind: 'http'; name: string; url: string; token: string }
  | { kind: 'sql'; name: string; databaseUrl: string };

export interface ProbeRequest {
  probes: Probe[];
  rounds: number;
  /** Rounds run first and not counted (connections, caches, JIT). */
  warmup: number;
}

async function run(req: ProbeRequest): Promise<Record<string, number[]>> {
  const clients = new Map<string, Client>();
  for (const p of req.probes) {
    if (p.kind !== 'sql') continue;
    const c = new Client({ connectionString: p.databaseUrl, application_name: 'bench-probe' });
    await c.connect();
    clients.set(p.name, c);
  }
  const once = async (p: Probe) => {
    if (p.kind === 'sql') {
      await clients.get(p.name)!.query('SELECT 1');
      return;
    }
    const res = await fetch(p.url, { headers: { authorization: `Bearer ${p.token}` } });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${p.name}: HTTP ${res.status}`);
  };
  const samples: Record<string, number[]> = Object.fromEntries(req.probes.map((p) => [p.name, []]));
  try {
    for (let i = 0; i < req.warmup + req.rounds; i++) {
      for (const p of req.probes) {
        const t = performance.now();
        await once(p);
        if (i >= req.warmup) samples[p.name]!.push(performance.now() - t);
      }
    }
  } finally {
    for (const c of clients.values()) await c.end().catch(() => undefined);
  }
  return samples;
}

process.once('message', (req: ProbeRequest) => {
  run(req).then(
    (samples) => process.send!({ samples }, () => process.exit(0)),
    (err: Error) => process.send!({ error: err.message }, () => process.exit(1)),
  );
});
