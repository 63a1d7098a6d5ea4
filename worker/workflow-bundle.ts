import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOWS_PATH } from './create-worker';

/**
 * The workflow code bundled once, ahead of the workers: each worker otherwise runs webpack at
 * start (about 10 s of CPU on two cores) before it polls, which is the time a restarted worker
 * leaves its share of the cases waiting. Every worker that loads the same file runs exactly the
 * same workflow code, so it must be built from the same commit as the workers (an image's build
 * step, or the cluster profile at each start).
 */
export async function writeWorkflowBundle(file: string): Promise<{ file: string; bytes: number }> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: (m: string) => console.error(m) },
  });
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, code);
  return { file, bytes: Buffer.byteLength(code) };
}
