import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const webDir = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));

/**
 * Writes .br and .gz beside every text asset, so the server (@fastify/static, preCompressed) sends
 * the compressed file to browsers that accept it, without compressing on each request.
 */
function precompress(): Plugin {
  let builtTo = outDir; // the build's own outDir (--outDir builds a copy elsewhere)
  return {
    name: 'letapis-precompress',
    apply: 'build',
    configResolved(config) {
      builtTo = resolve(config.root, config.build.outDir);
    },
    writeBundle() {
      const dir = join(builtTo, 'assets');
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg|json)$/.test(name)) continue;
        const body = readFileSync(join(dir, name));
        writeFileSync(join(dir, `${name}.gz`), gzipSync(body, { level: 9 }));
        writeFileSync(join(dir, `${name}.br`), brotliCompressSync(body));
      }
    },
  };
}

// The web application: web/ → dist/web (served by the API server at /). Everything is bundled:
// no font, script or style from another origin, nothing inline that the CSP would refuse.
export default defineConfig({
  root: webDir,
  base: '/',
  plugins: [react(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: false,
    target: 'es2022',
    // no inline data: URLs for fonts or scripts; small images may be inlined (img-src allows data:)
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 600,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development: the API of `npm start` behind it
    proxy: { '/api': 'http://127.0.0.1:8080' },
  },
});
