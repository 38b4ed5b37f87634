import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/policies.js';
import { ForbiddenError } from '../../domain/errors.js';
import { actorOf, SESSION_COOKIE } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import * as uc from './users.usecases.js';

const publicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabled: z.boolean(),
});

/** Sign-in and sign-out for the browser, the caller's own account, accounts and tokens. */
export function registerUserRoutes(app: FastifyInstance, db: Kysely<any>): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/v1/session', {
    config: { policy: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['session'],
      summary: 'Sign in',
      description: 'Sets an HttpOnly session cookie. Changes made with it need the returned csrfToken in the X-CSRF-Token header.',
      body: z.object({ username: z.string().max(100), password: z.string().max(1024) }).strict(),
      response: { 200: z.object({ user: publicUser, csrfToken: z.string(), expiresAt: z.string() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const s = await uc.signIn(db, req.body.username, req.body.password);
      reply.setCookie(SESSION_COOKIE, s.sessionId, {
        httpOnly: true,
        secure: true,
        sameSite: 'strict',
        path: '/',
        expires: new Date(s.expiresAt),
      });
      return { user: s.user, csrfToken: s.csrfToken, expiresAt: s.expiresAt };
    },
  });

  r.get('/api/v1/session', {
    config: { policy: 'signed-in' },
    schema: { tags: ['session'], summary: 'Who is signed in', response: { 200: z.object({ user: publicUser }), ...problemResponses } },
    handler: async (req) => ({ user: await uc.whoAmI(db, actorOf(req)) }),
  });

  r.delete('/api/v1/session', {
    config: { policy: 'signed-in' },
    schema: { tags: ['session'], summary: 'Sign out', response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      if (req.sessionId) await uc.signOut(db, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  r.get('/api/v1/users', {
    config: { policy: 'user.read' },
    schema: { tags: ['users'], summary: 'List accounts', response: { 200: z.object({ items: z.array(publicUser) }), ...problemResponses } },
    handler: async (req) => ({ items: await uc.listUsers(db, actorOf(req)) }),
  });

  r.post('/api/v1/users', {
    config: { policy: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: 'Create an account (administrators)',
      body: z
        .object({ username: z.string().max(63), role: z.enum(ROLES), password: z.string().max(1024), displayName: z.string().max(200).optional() })
        .strict(),
      response: { 201: publicUser, ...problemResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await uc.createUser(db, actorOf(req), req.body)),
  });

  r.post('/api/v1/tokens', {
    config: { policy: 'token.create-own' },
    schema: {
      tags: ['users'],
      summary: 'Create an API token for yourself',
      description: 'The token is shown once; only its hash is kept.',
      body: z.object({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional() }).strict(),
      response: { 201: z.object({ id: z.string(), token: z.string(), expiresAt: z.string().nullable() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const actor = actorOf(req);
      if (!actor) throw new ForbiddenError('sign in first');
      const t = await uc.createToken(db, actor.username, { name: req.body.name, expiresInDays: req.body.expiresInDays });
      return reply.status(201).send(t);
    },
  });
}
