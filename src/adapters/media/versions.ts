import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const cache = new Map<string, string>();

/** Installed version of a package, for the record of which tool extracted what; `?` if unknown. */
export function packageVersion(name: string): string {
  let v = cache.get(name);
  if (v) return v;
  v = '?';
  try {
    let dir = dirname(require.resolve(name));
    // walk up from the entry point to the package's own package.json
    for (let i = 0; i < 5; i++) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
        if (pkg.name === name && pkg.version) {
          v = pkg.version;
          break;
        }
      } catch {
        /* not here */
      }
      dir = dirname(dir);
    }
  } catch {
    /* not resolvable */
  }
  cache.set(name, v);
  return v;
}

/** Directory of an installed package (…/node_modules/name) and the node_modules folder holding it. */
export function packageDir(name: string, entry = 'package.json'): { dir: string; nodeModules: string } {
  const file = require.resolve(`${name}/${entry}`);
  const idx = file.lastIndexOf(`${'/node_modules/'}${name}/`);
  const dir = file.slice(0, idx + '/node_modules/'.length + name.length);
  return { dir, nodeModules: file.slice(0, idx + '/node_modules'.length) };
}
