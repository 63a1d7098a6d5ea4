import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { runMain } from './run-main';

/**
 * Fails when the product's own modules import each other in a circle (`npm run lint:cycles`,
 * part of `npm test`). A cycle makes load order decide what a module sees, and in this code it
 * meant a zod schema module dragging its plain half, and zod with it, into the workflow bundle.
 * Imports are resolved by TypeScript itself, as the compiler resolves them.
 */
const ROOT = path.resolve(__dirname, '..');

function projectFiles(project: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, project), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error(`cannot read ${project}`);
  return config.fileNames.filter((f) => !f.includes('node_modules'));
}

export function importCycles(files: readonly string[]): string[][] {
  const options: ts.CompilerOptions = { module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, allowJs: false, jsx: ts.JsxEmit.Preserve };
  const own = new Set(files.map((f) => path.resolve(f)));
  const graph = new Map<string, string[]>();
  for (const file of own) {
    const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const deps = info.importedFiles.flatMap(({ fileName }) => {
      const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule?.resolvedFileName;
      return resolved && own.has(path.resolve(resolved)) ? [path.resolve(resolved)] : [];
    });
    graph.set(file, deps);
  }
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const dep of graph.get(node) ?? []) {
      if (state.get(dep) === 'open') cycles.push([...stack.slice(stack.indexOf(dep)), dep].map((f) => path.relative(ROOT, f)));
      else if (!state.has(dep)) visit(dep);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

export function productModules(): string[] {
  return [...new Set([...projectFiles('tsconfig.json'), ...projectFiles('ui/tsconfig.json')])];
}

async function main(): Promise<void> {
  const files = productModules();
  const cycles = importCycles(files);
  if (cycles.length > 0) throw new Error(cycles.map((c) => `import cycle: ${c.join(' → ')}`).join('\n'));
  console.log(`no import cycles among ${files.length} modules`);
}

if (require.main === module) runMain(main);
