import { config } from 'zod';

/**
 * Every workflow gets its own copy of zod in the reusable V8 context, and by default zod
 * compiles a parser with `new Function` for each object schema on its first use: once per
 * workflow, for every case a worker loads. Interpreted parsing is fast enough for one command at
 * a time and keeps that code generation (and its memory) out of the sandbox.
 */
config({ jitless: true });
