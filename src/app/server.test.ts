import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import { buildServer } from './server.js';
import { openTestContainer } from '../test-support/dialects.js';
import type { Container } from './container.js';
import { RECORD_TYPE_NAMES } from '../domain/records/fields.js';

describe('the HTTP application', () => {
  let c: Container;
  let app: FastifyInstance;
  beforeAll(async () => {
    c = await openTestContainer('sqlite');
    app = await buildServer(c);
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await c?.close();
  });

  it('serves a valid OpenAPI 3.1 document that lists every API route', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors ?? []).slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>))
      for (const m of Object.keys(ops)) documented.add(`${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
    const apiRoutes = app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.hidden && r.method !== 'HEAD' && !r.url.startsWith('/api/docs'));
    expect(apiRoutes.length).toBeGreaterThan(RECORD_TYPE_NAMES.length * 6);
    const missing = apiRoutes.map((r) => `${r.method} ${r.url}`).filter((k) => !documented.has(k));
    expect(missing).toEqual([]);
    for (const t of RECORD_TYPE_NAMES) {
      for (const k of [`GET /api/v1/${t}`, `POST /api/v1/${t}`, `GET /api/v1/${t}/:id`, `PATCH /api/v1/${t}/:id`, `DELETE /api/v1/${t}/:id`, `GET /api/v1/${t}/:id/history`])
        expect(documented.has(k), k).toBe(true);
    }
  });

  it('declares a policy on every route (static API docs excepted)', () => {
    const without = app.routeTable.filter((r) => !r.policy && !r.url.startsWith('/api/docs')).map((r) => `${r.method} ${r.url}`);
    expect(without).toEqual([]);
    const publicOnes = app.routeTable.filter((r) => r.policy === 'public' && r.method !== 'HEAD').map((r) => `${r.method} ${r.url}`).sort();
    expect(publicOnes).toEqual(['GET /', 'GET /assets/*', 'GET /api/health', 'GET /api/openapi.json', 'POST /api/v1/session', 'POST /api/v1/vault/unseal'].sort());
  });

  it('serves the browsable API docs from this server, with no outside origin', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toMatch(/https?:\/\/(?!127\.0\.0\.1|localhost)[a-z0-9.-]+\.[a-z]{2,}\/[^"']*\.(js|css)/i);
    const csp = String(res.headers['content-security-policy'] ?? '');
    expect(csp).toContain("default-src 'self'");
  });

  it('answers unknown routes with problem+json 404', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/nonsense' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});

describe('the web application served at /', () => {
  let c: Container;
  let app: FastifyInstance;
  let bare: FastifyInstance;
  let dir: string;
  const INDEX = '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';
  const JS = 'console.log("the bundle");'.repeat(50);
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'letapis-web-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js'), JS);
    writeFileSync(join(dir, 'assets', 'app-1a2b3c.js.gz'), gzipSync(JS));
    c = await openTestContainer('sqlite');
    app = await buildServer(c, { webDir: dir });
    bare = await buildServer(c, { webDir: join(dir, 'not-built') });
  });
  afterAll(async () => {
    await app?.close();
    await bare?.close();
    await c?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers / with the built index.html, never cached, under a CSP that allows only this origin and no eval', async () => {
    const res = await app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:/);
  });

  it('serves the hashed assets with a year-long immutable cache, compressed when the browser accepts it', async () => {
    const plain = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(plain.statusCode).toBe(200);
    expect(plain.body).toBe(JS);
    expect(plain.headers['content-type']).toMatch(/javascript/);
    expect(plain.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    const gz = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.rawPayload.length).toBeLessThan(JS.length / 5);
  });

  it('answers a reload of any page of the app with index.html, but unknown API paths and missing assets with problem+json 404', async () => {
    const page = await app.inject({ method: 'GET', url: '/records/events?sort=start', headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(INDEX);
    for (const url of ['/api/nonsense', '/api/v2/anything', '/assets/gone-123.js']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toMatch(/problem\+json/);
      expect(String(res.headers['cache-control'] ?? ''), url).not.toMatch(/immutable/);
    }
    // a script or image asking for a path that is no page is not handed the HTML
    expect((await app.inject({ method: 'GET', url: '/favicon.ico', headers: { accept: 'image/*' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/records', headers: { accept: 'text/html' } })).statusCode).toBe(404);
  });

  it('never serves a file outside the built folder', async () => {
    writeFileSync(join(dir, '..', 'letapis-web-secret.txt'), 'CONTENT OUTSIDE');
    try {
      for (const url of ['/assets/../../letapis-web-secret.txt', '/assets/%2e%2e/%2e%2e/letapis-web-secret.txt', '/assets/..%2f..%2fletapis-web-secret.txt']) {
        const res = await app.inject({ method: 'GET', url });
        expect(res.body, url).not.toContain('CONTENT OUTSIDE');
        expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      }
    } finally {
      rmSync(join(dir, '..', 'letapis-web-secret.txt'), { force: true });
    }
  });

  it('says to run npm run build when the app has not been built, and still serves the API', async () => {
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
    expect(res.body).toContain('/api/docs');
    expect((await bare.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
  });
});
