import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import { Secret, TOTP } from 'otpauth';

/** Helpers shared by the account tests. */

export const PASSWORD = 'a long enough password';

/** The code an authenticator app shows `steps` periods from now. */
export function totpCode(secretBase32: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secretBase32), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.now() + steps * 30_000 });
}

/** A code that is valid for no step near now. */
export function wrongCode(secretBase32: string, seed = 0): string {
  const near = new Set([-2, -1, 0, 1, 2].map((s) => totpCode(secretBase32, s)));
  for (let i = seed; ; i++) {
    const c = String((i * 7919 + 123457) % 1_000_000).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

export interface AuditRow {
  id: string;
  at: string;
  action: string;
  actor_id: string | null;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  details: any;
}

/** Audit rows, oldest first, optionally of one action and/or one target. */
export async function auditRows(db: Kysely<any>, filter: { action?: string; targetId?: string } = {}): Promise<AuditRow[]> {
  let q = db.selectFrom('audit_events').selectAll();
  if (filter.action) q = q.where('action', '=', filter.action);
  if (filter.targetId) q = q.where('target_id', '=', filter.targetId);
  const rows = await q.orderBy('id').execute();
  return rows.map(
    (r): AuditRow => ({
      id: r.id,
      at: r.at,
      action: r.action,
      actor_id: r.actor_id ?? null,
      target_type: r.target_type ?? null,
      target_id: r.target_id ?? null,
      reason: r.reason ?? null,
      details: r.details ? JSON.parse(r.details) : null,
    }),
  );
}

let ipCounter = 1;
/** A fresh client address, so the per-address sign-in limit of one test does not spill into the next. */
export const freshIp = () => `10.9.${Math.floor(ipCounter / 250)}.${(ipCounter++ % 250) + 1}`;

export interface Browser {
  cookies: Record<string, string>;
  csrf: string;
  /** A request with the session cookie (and the CSRF header on changes). */
  call(method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
}

/** Signs in over HTTP (with a code when asked for one) and returns a browser holding the session. */
export async function browserSignIn(app: FastifyInstance, username: string, password = PASSWORD, totpSecret?: string, steps = 1): Promise<Browser> {
  const remoteAddress = freshIp();
  let res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { username, password }, remoteAddress });
  if (res.statusCode === 202) {
    expect(totpSecret, 'the account asks for a code').toBeDefined();
    res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { pendingToken: res.json().pendingToken, code: totpCode(totpSecret!, steps) }, remoteAddress });
  }
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((k) => k.name === 'letapis_session')!;
  const cookies = { letapis_session: cookie.value };
  const csrf = res.json().csrfToken as string;
  return {
    cookies,
    csrf,
    call: (method, url, payload) =>
      app.inject({ method: method as any, url, cookies, headers: { 'x-csrf-token': csrf }, ...(payload !== undefined ? { payload: payload as any } : {}) }),
  };
}

/** A request with a bearer token. */
export const withToken = (app: FastifyInstance, token: string) => (method: string, url: string, payload?: unknown) =>
  app.inject({ method: method as any, url, headers: { authorization: `Bearer ${token}` }, ...(payload !== undefined ? { payload: payload as any } : {}) });

/** Checks an RFC 9457 answer and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, detail?: RegExp) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const p = res.json();
  expect(p.status).toBe(status);
  if (detail) expect(p.detail).toMatch(detail);
  return p;
}
