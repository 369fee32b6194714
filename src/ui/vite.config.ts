// The explorer's build (issue 16): src/ui → dist/ui, everything bundled (no CDN), served by the API's
// ui-route. Scripts are only ever files (the CSP allows script-src 'self' and nothing inline), so the
// modulepreload polyfill, which Vite would otherwise emit inline for some targets, stays off.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  logLevel: 'warn',
  build: {
    outDir: path.resolve(here, '..', '..', 'dist', 'ui'),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
  },
});
