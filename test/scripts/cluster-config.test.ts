import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultServerPorts, freeServerPorts, MAX_SERVER_PORT, renderTemplate, writeClusterConfig } from '../../scripts/cluster-config';
import { devServerDynamicConfigArgs, TEMPORAL_DYNAMIC_CONFIG } from '../../scripts/temporal-dynamic-config';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cluster-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The configuration for the usual ports and a local PostgreSQL with this password. */
const writeLocalConfig = (password: string) =>
  writeClusterConfig({
    dir,
    ports: defaultServerPorts(7233),
    pg: { host: '127.0.0.1', port: 5433, user: 'postgres', password },
    databases: { persistence: 'temporal', visibility: 'temporal_visibility' },
  });

test('the repository template fills in every port and the database, and quotes strings', () => {
  writeLocalConfig('p#ss: word');
  const yaml = readFileSync(path.join(dir, 'cluster.yaml'), 'utf8');
  expect(yaml).not.toMatch(/^[^#]*\$\{/m);
  expect(yaml).toContain('pluginName: postgres12');
  expect(yaml).toContain('grpcPort: 7233');
  expect(yaml).toContain('membershipPort: 6934');
  expect(yaml).toContain('password: "p#ss: word"');
  expect(yaml).toContain('connectAddr: "127.0.0.1:5433"');
});

test('a placeholder without a value, or a value without a placeholder, stops the start', () => {
  const file = path.join(dir, 't.yaml');
  writeFileSync(file, '# ${EXPLAINED} in a comment is left alone\nport: ${PORT}\n');
  expect(renderTemplate(file, { PORT: 1 })).toBe('# ${EXPLAINED} in a comment is left alone\nport: 1\n');
  expect(() => renderTemplate(file, {})).toThrow('no value for ${PORT}');
  expect(() => renderTemplate(file, { PORT: 1, OTHER: 2 })).toThrow('does not use OTHER');
});

test('free server ports are distinct and low enough for the server to record (smallint)', async () => {
  const ports = Object.values(await freeServerPorts());
  expect(new Set(ports).size).toBe(ports.length);
  for (const p of ports) expect(p).toBeLessThanOrEqual(MAX_SERVER_PORT);
});

test('the cluster server reads the dynamic settings the dev server gets as flags', () => {
  writeLocalConfig('x');
  const yaml = readFileSync(path.join(dir, 'cluster.yaml'), 'utf8');
  const file = path.join(dir, 'dynamic-config.yaml');
  expect(yaml).toContain(`filepath: ${JSON.stringify(file)}`);
  const dynamic = readFileSync(file, 'utf8');
  expect(dynamic).toMatch(/^system\.enableActivityEagerExecution:\n {2}- value: true\n/m);
  const flags = devServerDynamicConfigArgs();
  expect(flags).toEqual(expect.arrayContaining(['--dynamic-config-value', 'system.enableActivityEagerExecution=true']));
  // Every setting the cluster reads is one the dev server gets too.
  for (const key of Object.keys(TEMPORAL_DYNAMIC_CONFIG)) expect(flags.some((f) => f.startsWith(`${key}=`))).toBe(true);
});
