/**
 * Activities the Temporal server started eagerly (handed to the worker in its answer to the
 * workflow task that scheduled them), read from its Prometheus endpoint; on one task queue, or
 * on all. The server's metric labels spell a queue's `-` as `_`.
 */
export async function eagerActivityStarts(metricsPort: number, taskQueue?: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const label = taskQueue === undefined ? undefined : `taskqueue="${taskQueue.replaceAll('-', '_')}"`;
  return text
    .split('\n')
    .filter((l) => l.startsWith('activity_eager_execution{') && (label === undefined || l.includes(label)))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}
