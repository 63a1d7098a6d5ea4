import path from 'node:path';
import { writeWorkflowBundle } from '../worker/workflow-bundle';

/**
 * `npm run build:workflows [-- <file>]`: the workflow bundle for WORKFLOW_BUNDLE (default
 * dist/workflow-bundle.js), so that workers start polling without bundling first.
 */
async function main() {
  const target = path.resolve(process.argv[2] ?? path.join(__dirname, '..', 'dist', 'workflow-bundle.js'));
  const started = Date.now();
  const { file, bytes } = await writeWorkflowBundle(target);
  console.error(`workflow bundle ${file} (${(bytes / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s; start workers with WORKFLOW_BUNDLE=${file}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
