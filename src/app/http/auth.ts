import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Action, Actor } from '../../domain/policies.js';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import { actorFromSession, actorFromToken } from '../../modules/users/users.usecases.js';

/**
 * Who is calling. Every route declares in its config the action it needs (`policy`), or
 * `public` / `signed-in`; a test fails on a route that declares none.
 */
export type RoutePolicy = Action | 'public' | 'signed-in';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
}

export const SESSION_COOKIE = 'letapis_session';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Resolves the actor from a bearer token or a session cookie; refuses unauthenticated calls. */
export function registerAuthentication(app: FastifyInstance, db: Kysely<any>): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.addHook('onRequest', async (request) => {
    const policy = request.routeOptions.config?.policy;
    if (policy === 'public' || !request.url.startsWith('/api/v1')) return;
    request.actor = await authenticate(db, request);
    if (!request.actor) throw new UnauthorizedError('sign in (POST /api/v1/session) or send "Authorization: Bearer <token>"');
  });
}

async function authenticate(db: Kysely<any>, request: FastifyRequest): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
    const actor = await actorFromToken(db, m[1]!);
    if (!actor) throw new UnauthorizedError('the API token is unknown, expired or revoked');
    return actor;
  }
  const sid = request.cookies?.[SESSION_COOKIE];
  if (!sid) return null;
  const s = await actorFromSession(db, sid);
  if (!s) return null;
  if (UNSAFE.has(request.method) && request.headers[CSRF_HEADER] !== s.csrfToken)
    throw new ForbiddenError(`a change made with a session cookie needs the ${CSRF_HEADER} header given at sign-in`);
  request.sessionId = sid;
  const { csrfToken: _csrf, ...actor } = s;
  return actor;
}

/** The signed-in actor of a request (the hook guarantees one on protected routes). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError('authentication required');
  return request.actor;
}
