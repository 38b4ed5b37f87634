import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    expect(publicOnes).toEqual(['GET /', 'GET /api/health', 'GET /api/openapi.json', 'POST /api/v1/session', 'POST /api/v1/vault/unseal'].sort());
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
