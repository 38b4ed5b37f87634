import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Action, Actor } from '../../domain/policies.js';
import { ForbiddenError, UnauthorizedError } from '../../domain/errors.js';
import { actorFromSession, authenticateToken, scopeAllows, type TokenScope } from '../../modules/users/users.usecases.js';

/**
 * Who is calling. Every route declares in its config the action it needs (`policy`), or
 * `public` / `signed-in`; a test fails on a route that declares none.
 *
 * API tokens carry a scope: a `read` token may only make safe requests (GET, HEAD), a `write`
 * token any request but those of administration, which need an `admin` token. A route may name the
 * scope it needs in `config.scope`; otherwise it follows from its method and policy.
 *
 * A browser session of an account that must have a second factor and has none yet can only enrol
 * one: routes not marked `config.beforeSecondFactor` answer 403.
 */
export type RoutePolicy = Action | 'public' | 'signed-in';

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** The token scope the route needs, when not the one its method and policy imply. */
    scope?: TokenScope;
    /** Open to a session that still has to enrol its required second factor. */
    beforeSecondFactor?: boolean;
  }
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
    /** How the caller authenticated: with a token of some scope, or a browser session (null scope). */
    tokenScope: TokenScope | null;
  }
}

export const SESSION_COOKIE = 'letapis_session';
export const CSRF_HEADER = 'x-csrf-token';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Policies of administration: a token needs the `admin` scope for them. */
export const ADMIN_SCOPE_POLICIES: ReadonlySet<string> = new Set(['user.manage', 'audit.read', 'compartment.create', 'vault.seal']);

export const ENROL_FIRST =
  'enrol a second factor first: your role requires one. POST /api/v1/account/totp gives you a secret for your authenticator app, POST /api/v1/account/totp/confirm with its current code turns it on';

/** The token scope a request needs. */
export function requiredScope(method: string, policy: RoutePolicy | undefined, declared?: TokenScope): TokenScope {
  if (declared) return declared;
  if (policy && ADMIN_SCOPE_POLICIES.has(policy)) return 'admin';
  return UNSAFE.has(method) ? 'write' : 'read';
}

/** Resolves the actor from a bearer token or a session cookie; refuses unauthenticated calls. */
export function registerAuthentication(app: FastifyInstance, db: Kysely<any>): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('tokenScope', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    const policy = config?.policy;
    if (policy === 'public' || !(request.url.startsWith('/api/v1') || request.url.startsWith('/api/ledger'))) return;
    request.actor = await authenticate(db, request, config?.beforeSecondFactor === true);
    if (!request.actor) throw new UnauthorizedError('sign in (POST /api/v1/session) or send "Authorization: Bearer <token>"');
    if (request.tokenScope) {
      const need = requiredScope(request.method, policy, config?.scope);
      if (!scopeAllows(request.tokenScope, need))
        throw new ForbiddenError(`this API token has the "${request.tokenScope}" scope; this request needs a token with the "${need}" scope`);
    }
  });
}

async function authenticate(db: Kysely<any>, request: FastifyRequest, beforeSecondFactor: boolean): Promise<Actor | null> {
  const header = request.headers.authorization;
  if (header) {
    const m = /^Bearer\s+(\S+)$/i.exec(header);
    if (!m) throw new UnauthorizedError('the Authorization header must be "Bearer <token>"');
    const t = await authenticateToken(db, m[1]!);
    if (!t) throw new UnauthorizedError('the API token is unknown, expired or revoked');
    request.tokenScope = t.scope;
    return t.actor;
  }
  const sid = request.cookies?.[SESSION_COOKIE];
  if (!sid) return null;
  const s = await actorFromSession(db, sid);
  if (!s) return null;
  if (UNSAFE.has(request.method) && request.headers[CSRF_HEADER] !== s.csrfToken)
    throw new ForbiddenError(`a change made with a session cookie needs the ${CSRF_HEADER} header given at sign-in`);
  if (s.enrolmentRequired && !beforeSecondFactor) throw new ForbiddenError(ENROL_FIRST);
  request.sessionId = sid;
  return s.actor;
}

/**
 * On a public route: the account behind the request's token or session if there is a valid one,
 * else null (never an error), for routes that audit who called when someone did.
 */
export async function optionalActorId(db: Kysely<any>, request: FastifyRequest): Promise<string | null> {
  try {
    return (await authenticate(db, request, true))?.userId ?? null;
  } catch {
    return null;
  }
}

/** The signed-in actor of a request (the hook guarantees one on protected routes). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new UnauthorizedError('authentication required');
  return request.actor;
}
