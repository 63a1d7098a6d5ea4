import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { importCycles, productModules } from '../../scripts/check-import-cycles';

test('a circle of imports is found, through re-exports and type imports alike', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  const file = (name: string, text: string) => {
    writeFileSync(path.join(dir, name), text);
    return path.join(dir, name);
  };
  const files = [
    file('schema.ts', "export const s = 1;\nexport { plain } from './plain';\n"),
    file('plain.ts', "import type { S } from './types';\nexport const plain = 2;\n"),
    file('types.ts', "import { s } from './schema';\nexport type S = typeof s;\n"),
    file('alone.ts', "import { plain } from './plain';\nexport const x = plain;\n"),
  ];
  expect(importCycles(files).map((c) => c.map((f) => path.basename(f)))).toEqual([['schema.ts', 'plain.ts', 'types.ts', 'schema.ts']]);
});

test('the product has no import cycle', () => {
  const modules = productModules();
  expect(modules.length).toBeGreaterThan(300);
  expect(importCycles(modules)).toEqual([]);
});
