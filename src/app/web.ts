import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { notFoundHandler } from './http/problem.js';

/**
 * The web application (web/, built by Vite into dist/web) served by the API's own server:
 *
 * - `GET /` and every other GET outside /api and /assets that asks for HTML (a reload of
 *   /settings, a bookmarked page): index.html, `Cache-Control: no-cache`, so a new build is picked up
 *   at once. The client-side router decides what such a path shows.
 * - `GET /assets/*`: the bundle's files, named by their content hash, so cached for a year
 *   (`immutable`); `.br`/`.gz` siblings made at build time are sent to browsers that accept them.
 * - Nothing else: an unknown API path or a missing asset stays a problem+json 404.
 *
 * The CSP of the whole server (script-src 'self', no 'unsafe-eval', no other origin) applies here.
 * If the app was not built, `/` says so instead (run `npm run build`).
 */

/** dist/web of this package: two levels up from src/app (tsx) or three from dist/src/app (built). */
export function defaultWebDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const root = resolve(here, up);
    if (existsSync(join(root, 'package.json')) && existsSync(join(root, 'web'))) return join(root, 'dist', 'web');
  }
  return resolve(here, '../../../dist/web');
}

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Letapis: the web application is not built</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1d2430}code{background:#eef1f5;padding:0 .25rem}</style>
</head><body><main>
<h1>Letapis · летапіс</h1>
<p>The API is running, but the web application has not been built: run <code>npm run build</code> (or <code>npm start</code>, which builds first), then reload this page.</p>
<ul><li><a href="/api/docs">API documentation</a> (OpenAPI 3.1 at <a href="/api/openapi.json">/api/openapi.json</a>)</li>
<li><a href="/api/health">Health</a></li></ul>
</main></body></html>`;

/** Whether a not-found GET is a page of the web application (to be answered with index.html). */
function isAppPage(req: FastifyRequest): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const path = req.url.split('?')[0]!;
  if (path === '/api' || path.startsWith('/api/') || path.startsWith('/assets/')) return false;
  return /\btext\/html\b/.test(String(req.headers.accept ?? ''));
}

export async function registerWebApp(app: FastifyInstance, webDir: string): Promise<void> {
  const built = () => existsSync(join(webDir, 'index.html'));
  // serve: false: no routes of its own (the route table stays one line per route), only reply.sendFile
  await app.register(fastifyStatic, { root: webDir, serve: false, preCompressed: true, cacheControl: false, dotfiles: 'deny', index: false });

  const sendIndex = (reply: FastifyReply) => {
    if (!built()) return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(NOT_BUILT_PAGE);
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  };

  app.get('/', { config: { policy: 'public' }, schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get('/assets/*', { config: { policy: 'public' }, schema: { hide: true } }, (req, reply) => {
    const file = (req.params as { '*': string })['*'];
    // the long cache is set only when the file is found: a 404 is never cached
    return reply.sendFile(`assets/${file}`, { cacheControl: true, maxAge: '365d', immutable: true });
  });
  app.setNotFoundHandler((req, reply) => (isAppPage(req) ? sendIndex(reply.status(200)) : notFoundHandler(req, reply)));
}
