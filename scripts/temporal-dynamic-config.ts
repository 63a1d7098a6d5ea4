/**
 * The Temporal server settings the product relies on, one list for both profiles: the dev server
 * takes them as `--dynamic-config-value` flags, the cluster profile's server reads them from the
 * file writeDynamicConfig makes (a production cluster sets the same in its own dynamic config).
 */
export const TEMPORAL_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  // Every command and schedule step appends through an activity on the workflow's own task queue:
  // eagerly, the server hands that activity to the worker in its answer to the workflow task that
  // scheduled it, instead of queueing it for a poll (issue 20: 36 ms p50 of an alert's lateness
  // was the append waiting to be dispatched). History is the same either way.
  'system.enableActivityEagerExecution': true,
};

/** For the dev server: tests and the local stack see search attributes at once. */
export const DEV_ONLY_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'system.forceSearchAttributesCacheRefreshOnRead': true,
};

/** `temporal server start-dev` flags for every setting. */
export function devServerDynamicConfigArgs(): string[] {
  return Object.entries({ ...TEMPORAL_DYNAMIC_CONFIG, ...DEV_ONLY_DYNAMIC_CONFIG })
    .flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]);
}

/** The server's file-based dynamic config (`dynamicConfigClient.filepath`): every key, for all namespaces. */
export function dynamicConfigYaml(): string {
  const lines = ['# Written by scripts/temporal-dynamic-config.ts; the list and the reasons are there.'];
  for (const [key, value] of Object.entries(TEMPORAL_DYNAMIC_CONFIG)) {
    lines.push(`${key}:`, `  - value: ${JSON.stringify(value)}`, '    constraints: {}');
  }
  return `${lines.join('\n')}\n`;
}
