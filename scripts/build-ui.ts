import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds the web interface (ui/src → ui/dist) with a type-check of ui/ under its own tsconfig
 * (DOM, Preact JSX) and a Vite production build. `npm start` and the browser tests call
 * {@link ensureUiBuilt}, which builds only when ui/dist is missing or older than its sources;
 * `npm run build:ui` always builds.
 */

const ROOT = path.resolve(__dirname, '..');
const UI_DIR = path.join(ROOT, 'ui');
export const UI_DIST_INDEX = path.join(UI_DIR, 'dist', 'index.html');

/** What the bundle is made of: the UI's sources and the domain rules it validates forms with. */
const SOURCES = [path.join(UI_DIR, 'src'), path.join(UI_DIR, 'index.html'), path.join(UI_DIR, 'vite.config.ts'), path.join(UI_DIR, 'tsconfig.json'), path.join(ROOT, 'domain')];

function newestMtime(p: string): number {
  if (!existsSync(p)) return 0;
  const s = statSync(p);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(p).reduce((max, name) => Math.max(max, newestMtime(path.join(p, name))), s.mtimeMs);
}

/** True when ui/dist is missing or older than any of its sources. */
export function uiBuildIsStale(): boolean {
  if (!existsSync(UI_DIST_INDEX)) return true;
  const built = statSync(UI_DIST_INDEX).mtimeMs;
  return SOURCES.some((p) => newestMtime(p) > built);
}

function run(label: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: UI_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${label} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

export interface BuildOptions {
  /** False when the caller has just type-checked ui/ itself (npm test), to spare a second run. */
  typeCheck?: boolean;
}

/** Type-checks ui/ and builds it to ui/dist. Throws when either fails. */
export async function buildUi(log: (line: string) => void = (l) => console.error(l), opts: BuildOptions = {}): Promise<void> {
  const started = Date.now();
  const bin = (pkg: string, file: string) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);
  if (opts.typeCheck !== false) await run('type-check of ui/', [bin('typescript', 'bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  await run('vite build', [bin('vite', 'bin/vite.js'), 'build', '--logLevel', 'warn']);
  log(`web interface built to ui/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * Builds the UI when ui/dist is missing or stale. With `strict` a failed build throws (tests);
 * without, it is reported and the API starts anyway, serving a "not built" page at `/`.
 */
export async function ensureUiBuilt(log: (line: string) => void = (l) => console.error(l), opts: BuildOptions & { strict?: boolean } = {}): Promise<boolean> {
  if (!uiBuildIsStale()) return true;
  log('building the web interface (ui/src → ui/dist)…');
  try {
    await buildUi(log, opts);
    return true;
  } catch (err) {
    if (opts.strict) throw err;
    log(`web interface not built: ${err instanceof Error ? err.message : String(err)}`);
    return false;
  }
}

if (require.main === module) {
  buildUi().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}
