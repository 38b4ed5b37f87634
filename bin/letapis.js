#!/usr/bin/env node
// The `letapis` command: runs the compiled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const main = fileURLToPath(new URL('../dist/src/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('letapis: the compiled CLI is missing; run `npm run build` in the letapis folder first.');
  process.exit(1);
}
const { run } = await import(pathToFileURL(main).href);
await run(process.argv);
