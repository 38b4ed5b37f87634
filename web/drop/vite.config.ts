import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The anonymous drop's page for sources (web/drop → dist/drop), served only by the drop listener
// (src/app/drop-server.ts). Plain TypeScript, no framework; everything bundled (libsodium's
// WebAssembly is inside its script), nothing from another origin, nothing inline.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/drop/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/drop', import.meta.url)),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 2500,
  },
});
