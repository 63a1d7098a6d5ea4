import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, findGo } from './temporal-cli';

const TOOLS_BIN = path.join(PROJECT_ROOT, '.tools', 'bin');

/** A program built once from its Go module with `go install` and cached in .tools/bin. */
export interface GoBinary {
  /** `module/path/to/package@version`. */
  pkg: string;
  /** Its file in .tools/bin; with the version in it, so a version bump builds afresh. */
  file: string;
  /** The environment variable that points to a binary to use instead. */
  override: string;
}

function build(spec: GoBinary, log: (line: string) => void): string {
  const target = path.join(TOOLS_BIN, spec.file);
  const go = findGo();
  if (!go) {
    throw new Error(`${spec.file} was not found and Go is not installed to build it. Install Go (https://go.dev/doc/install), or set ${spec.override} to a binary.`);
  }
  // `go install` names the binary after the package (`server`, `sql`): too generic for
  // .tools/bin, so it goes to a folder of its own first and is renamed into place whole.
  const gobin = path.join(PROJECT_ROOT, '.tools', 'go-install', spec.file);
  rmSync(gobin, { recursive: true, force: true });
  mkdirSync(gobin, { recursive: true });
  log(`Building ${spec.pkg} into .tools/bin; the first build takes several minutes…`);
  const started = Date.now();
  execFileSync(go, ['install', spec.pkg], {
    stdio: ['ignore', 'inherit', 'inherit'],
    // -trimpath as for the CLI: the same flags share the Go build cache between the builds.
    env: { ...process.env, GOBIN: gobin, GOFLAGS: '-trimpath' },
  });
  mkdirSync(TOOLS_BIN, { recursive: true });
  const pkgPath = spec.pkg.slice(0, spec.pkg.lastIndexOf('@'));
  renameSync(path.join(gobin, path.basename(pkgPath)), target);
  rmSync(gobin, { recursive: true, force: true });
  log(`${spec.file} built in ${Math.round((Date.now() - started) / 1000)} s.`);
  return target;
}

/** The binary to run: the override variable's, the cached build, or a fresh build. */
export function resolveGoBinary(spec: GoBinary, log: (line: string) => void = console.error): string {
  const explicit = process.env[spec.override];
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`${spec.override} points to ${explicit}, which does not exist`);
    return explicit;
  }
  const cached = path.join(TOOLS_BIN, spec.file);
  return existsSync(cached) ? cached : build(spec, log);
}
