import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

/**
 * The JavaScript the web application's first load fetches: index.html's module scripts and
 * modulepreloads, everything they import statically (not the pages loaded later with import()),
 * and one language's message catalog (each language is a chunk of its own, loaded before the first
 * render: the largest is counted). Prints JSON with raw, gzip and brotli sizes; exits 1 above the limit of issue 7
 * (1 MB compressed). Run after `npm run build`: `npm run -s bundle-size`.
 */
const LIMIT_BYTES = 1_000_000;
const dir = resolve(process.argv[2] ?? 'dist/web');
if (!existsSync(join(dir, 'index.html'))) {
  console.error(`${dir}/index.html is missing: run npm run build first`);
  process.exit(2);
}

const html = readFileSync(join(dir, 'index.html'), 'utf8');
const entries = [
  ...[...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)].map((m) => m[1]!),
  ...[...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]!),
];
const css = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)].map((m) => m[1]!);

/** Static imports of a built module: `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`. */
function staticImports(code: string): string[] {
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;}\s])(?:import|export)\s*(?:[\w*${},\s]+from\s*)?["'](\.{1,2}\/[^"']+)["']/g)) out.push(m[1]!);
  return out;
}

const seen = new Set<string>();
// the language catalog main.tsx loads before rendering: the largest of them
const catalogs = readdirSync(join(dir, 'assets')).filter((f) => /^catalog-[a-z]{2}-.*\.js$/.test(f));
const largestCatalog = catalogs.sort((a, b) => statSync(join(dir, 'assets', b)).size - statSync(join(dir, 'assets', a)).size)[0];
const queue = [...entries.map((u) => u.replace(/^\//, '')), ...(largestCatalog ? [`assets/${largestCatalog}`] : [])];
while (queue.length) {
  const rel = queue.shift()!;
  if (seen.has(rel)) continue;
  seen.add(rel);
  const code = readFileSync(join(dir, rel), 'utf8');
  const base = rel.slice(0, rel.lastIndexOf('/') + 1);
  for (const imp of staticImports(code)) queue.push(new URL(imp, `file:///${base}`).pathname.slice(1));
}

const measure = (rel: string) => {
  const body = readFileSync(join(dir, rel));
  return { file: rel, raw: body.length, gzip: gzipSync(body, { level: 9 }).length, brotli: brotliCompressSync(body).length };
};
const js = [...seen].sort().map(measure);
const sum = (xs: { raw: number; gzip: number; brotli: number }[]) => ({
  raw: xs.reduce((a, x) => a + x.raw, 0),
  gzip: xs.reduce((a, x) => a + x.gzip, 0),
  brotli: xs.reduce((a, x) => a + x.brotli, 0),
});
const total = sum(js);
const report = {
  firstLoadJs: { ...total, files: js },
  firstLoadCss: sum(css.map((u) => measure(u.replace(/^\//, '')))),
  limitBytesCompressed: LIMIT_BYTES,
  withinLimit: total.gzip < LIMIT_BYTES,
};
console.log(JSON.stringify(report, null, 2));
process.exit(report.withinLimit ? 0 : 1);
