import { defineConfig } from 'vite';

/**
 * The web interface: Preact with Vite's own JSX transform (no plugin). Built by
 * `npm run build:ui` (scripts/build-ui.ts runs this with ui/ as the working directory) to
 * ui/dist, which the API serves at `/`. `npm run ui:dev` serves it with hot reload and
 * forwards the API's paths to a running `npm start` on :8080.
 */
const api = 'http://127.0.0.1:8080';

export default defineConfig({
  root: '.',
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 600 },
  server: { proxy: { '/v1': api, '/openapi.json': api, '/docs': api } },
});
