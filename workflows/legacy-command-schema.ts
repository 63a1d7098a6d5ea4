import type { commandSchema } from '../domain/schemas/commands';

/**
 * The command schema, for runs begun before commands were parsed at the edge (see
 * COMMANDS_PARSED_AT_EDGE in client-journey.ts): they parsed each command themselves and must go
 * on doing so to replay. Loaded on first use only, so that no other case loads zod: the reusable
 * V8 context gives every workflow its own copy of each module it loads, and zod and the schemas
 * cost ≈ 1.5 MiB and ≈ 20 ms of CPU per case (bench workerMemory, 2026-11-23).
 */
let loaded: typeof commandSchema | undefined;

export function legacyCommandSchema(): typeof commandSchema {
  if (!loaded) {
    /* eslint-disable @typescript-eslint/no-require-imports -- a lazy load is the point */
    const zod = require('zod') as typeof import('zod');
    // zod would otherwise compile a parser with `new Function` per object schema, per workflow.
    zod.config({ jitless: true });
    loaded = (require('../domain/schemas/commands') as typeof import('../domain/schemas/commands')).commandSchema;
    /* eslint-enable @typescript-eslint/no-require-imports */
  }
  return loaded;
}
