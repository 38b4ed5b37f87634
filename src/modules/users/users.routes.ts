import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { KeyVault } from '../../adapters/keys/vault.js';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ROLES } from '../../domain/policies.js';
import { ValidationError, type FieldProblem } from '../../domain/errors.js';
import { actorOf, SESSION_COOKIE } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import * as uc from './users.usecases.js';
import { prepareDummyHash } from './passwords.js';

const publicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  role: z.enum(ROLES),
  createdAt: z.string(),
  disabled: z.boolean(),
  totpEnabled: z.boolean().describe('Whether the account signs in with a TOTP code'),
});

const tokenInfo = z.object({
  id: z.string(),
  username: z.string(),
  name: z.string(),
  scope: z.enum(uc.TOKEN_SCOPES),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  state: z.enum(['active', 'expired', 'revoked']),
});

const signedIn = z.object({
  user: publicUser,
  csrfToken: z.string().describe('Send it in the X-CSRF-Token header with every change made with the session cookie'),
  expiresAt: z.string().describe('The session ends then at the latest; it also ends after 30 minutes unused'),
  enrolmentRequired: z
    .boolean()
    .describe('Your role needs a second factor and you have none yet: until you enrol one (POST /api/v1/account/totp), every other route answers 403'),
});

const userIdParams = z.object({ id: z.string().min(1).max(100) });
const lockedResponses = { 429: problemSchema.describe('Too many attempts: per address, or the account is locked for a while (see Retry-After)') };

/** Sets Retry-After on the reply when the error is an account lockout, then lets it through. */
async function withRetryAfter<T>(reply: FastifyReply, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof uc.AccountLockedError) reply.header('retry-after', String(e.retryAfterSeconds));
    throw e;
  }
}

/** Sign-in and sign-out for the browser, the caller's own account and tokens, accounts. */
export function registerUserRoutes(app: FastifyInstance, db: Kysely<any>, vault: KeyVault): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addHook('onReady', async () => void (await prepareDummyHash()));

  r.post('/api/v1/session', {
    config: { policy: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['session'],
      summary: 'Sign in',
      description:
        'Step 1: `{username, password}`. If the account has no second factor, this opens the session (200). Otherwise it answers 202 with a `pendingToken`, valid for 5 minutes; ' +
        'step 2: `{pendingToken, code}` with the current code of your authenticator app opens the session (200). The session is an HttpOnly cookie; changes made with it need the returned ' +
        '`csrfToken` in the X-CSRF-Token header. After 5 failures within a minute an account is locked for the rest of that minute (429 with Retry-After), right password or not.',
      security: [],
      body: z
        .object({
          username: z.string().max(100).optional(),
          password: z.string().max(1024).optional(),
          pendingToken: z.string().max(200).optional().describe('From the 202 answer to step 1'),
          code: z.string().max(20).optional().describe('The 6-digit code your authenticator app shows now'),
        })
        .strict(),
      response: {
        200: signedIn,
        202: z
          .object({
            secondFactor: z.literal('totp'),
            pendingToken: z.string(),
            expiresAt: z.string(),
          })
          .describe('The password was right; send the pendingToken with the current TOTP code'),
        ...problemResponses,
        ...lockedResponses,
      },
    },
    handler: async (req, reply) =>
      withRetryAfter(reply, async () => {
        const b = req.body;
        const problems: FieldProblem[] = [];
        let result: uc.SignInResult;
        if (b.pendingToken !== undefined) {
          if (b.code === undefined) problems.push({ field: 'code', message: 'is required with pendingToken' });
          if (b.username !== undefined || b.password !== undefined)
            problems.push({ field: 'pendingToken', message: 'send either username and password, or pendingToken and code' });
          if (problems.length) throw new ValidationError(problems);
          result = await uc.completeSignIn({ db, vault }, b.pendingToken, b.code!);
        } else {
          if (b.username === undefined) problems.push({ field: 'username', message: 'is required' });
          if (b.password === undefined) problems.push({ field: 'password', message: 'is required' });
          if (b.code !== undefined) problems.push({ field: 'code', message: 'goes in the second step, with the pendingToken' });
          if (problems.length) throw new ValidationError(problems);
          result = await uc.signIn(db, b.username!, b.password!);
        }
        if (result.status === 'second-factor-required')
          return reply.status(202).header('cache-control', 'no-store').send({ secondFactor: 'totp' as const, pendingToken: result.pendingToken, expiresAt: result.expiresAt });
        reply.setCookie(SESSION_COOKIE, result.sessionId, {
          httpOnly: true,
          secure: true,
          sameSite: 'strict',
          path: '/',
          expires: new Date(result.expiresAt),
        });
        return reply
          .status(200)
          .header('cache-control', 'no-store')
          .send({ user: result.user, csrfToken: result.csrfToken, expiresAt: result.expiresAt, enrolmentRequired: result.enrolmentRequired });
      }),
  });

  r.get('/api/v1/session', {
    config: { policy: 'signed-in', beforeSecondFactor: true },
    schema: {
      tags: ['session'],
      summary: 'Who is signed in',
      response: {
        200: z.object({
          user: publicUser.extend({
            secondFactorRequired: z.boolean(),
            locale: z.enum(uc.LOCALES).nullable().describe('The language chosen for the web application (PATCH /api/v1/account); null: not chosen'),
          }),
          enrolmentRequired: z.boolean(),
          csrfToken: z
            .string()
            .nullable()
            .describe('With a session cookie: the token to send in the X-CSRF-Token header (the same one sign-in gave); null with an API token'),
          expiresAt: z.string().nullable().describe('With a session cookie: when the session ends at the latest; null with an API token'),
        }),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => {
      const user = await uc.whoAmI(db, actorOf(req));
      const session = req.sessionId ? await uc.sessionDetails(db, req.sessionId) : null;
      reply.header('cache-control', 'no-store');
      return { user, enrolmentRequired: user.secondFactorRequired && !user.totpEnabled, csrfToken: session?.csrfToken ?? null, expiresAt: session?.expiresAt ?? null };
    },
  });

  r.patch('/api/v1/account', {
    config: { policy: 'signed-in', beforeSecondFactor: true },
    schema: {
      tags: ['account'],
      summary: 'Change your preferences',
      description: '`locale`: the language of the web application (`be`, `ru` or `en`; null lets the browser decide). Allowed before enrolling a second factor, so the enrolment can be read in your language.',
      body: z.object({ locale: z.enum(uc.LOCALES).nullable() }).strict(),
      response: { 200: z.object({ locale: z.enum(uc.LOCALES).nullable() }), ...problemResponses },
    },
    handler: async (req) => uc.setOwnLocale(db, actorOf(req), req.body.locale),
  });

  r.delete('/api/v1/session', {
    config: { policy: 'signed-in', beforeSecondFactor: true },
    schema: { tags: ['session'], summary: 'Sign out', response: { 204: z.null(), ...problemResponses } },
    handler: async (req, reply) => {
      if (req.sessionId) await uc.signOut(db, req.sessionId);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  });

  r.post('/api/v1/account/sign-out-everywhere', {
    config: { policy: 'signed-in' },
    schema: {
      tags: ['account'],
      summary: 'Sign out everywhere',
      description: 'Ends every session of your account, this one included; with `revokeTokens`, also revokes all your API tokens.',
      body: z.object({ revokeTokens: z.boolean().optional() }).strict().nullish(),
      response: { 200: z.object({ sessionsEnded: z.number().int(), tokensRevoked: z.number().int() }), ...problemResponses },
    },
    handler: async (req, reply) => {
      const out = await uc.signOutEverywhere(db, actorOf(req), { revokeTokens: req.body?.revokeTokens });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return out;
    },
  });

  r.post('/api/v1/account/password', {
    config: { policy: 'signed-in' },
    schema: {
      tags: ['account'],
      summary: 'Change your password',
      description: 'Needs the current password (wrong ones count towards the lockout). Every other session of your account ends; this one stays. API tokens stay valid.',
      body: z.object({ currentPassword: z.string().max(1024), newPassword: z.string().max(1024) }).strict(),
      response: { 200: z.object({ sessionsEnded: z.number().int() }), ...problemResponses, ...lockedResponses },
    },
    handler: async (req, reply) => withRetryAfter(reply, () => uc.changePassword(db, actorOf(req), req.body, req.sessionId)),
  });

  r.post('/api/v1/account/totp', {
    config: { policy: 'signed-in', beforeSecondFactor: true },
    schema: {
      tags: ['account'],
      summary: 'Start enrolling a TOTP second factor',
      description:
        'Returns a new secret and its otpauth:// URI (for a QR code) once. The factor is on only after POST /api/v1/account/totp/confirm with a code. ' +
        '`issuer` and `label` are what your authenticator app will show (default "Letapis" and your user name): if your phone may be searched, choose names that point neither to Letapis nor to you.',
      body: z
        .object({
          issuer: z.string().min(1).max(64).regex(/^[^:]+$/, 'must not contain ":"').optional(),
          label: z.string().min(1).max(64).regex(/^[^:]+$/, 'must not contain ":"').optional(),
        })
        .strict()
        .nullish(),
      response: {
        201: z.object({ secret: z.string(), uri: z.string(), algorithm: z.string(), digits: z.number().int(), period: z.number().int() }),
        409: problemSchema.describe('A second factor is already on'),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => reply.status(201).header('cache-control', 'no-store').send(await uc.beginTotpEnrolment({ db, vault }, actorOf(req), req.body ?? {})),
  });

  r.post('/api/v1/account/totp/confirm', {
    config: { policy: 'signed-in', beforeSecondFactor: true },
    schema: {
      tags: ['account'],
      summary: 'Turn the TOTP second factor on',
      description: 'With the current code of the new secret. Other sessions of your account end; this one stays and is no longer restricted to enrolment.',
      body: z.object({ code: z.string().max(20) }).strict(),
      response: { 200: z.object({ enabled: z.literal(true), sessionsEnded: z.number().int() }), 409: problemSchema, ...problemResponses },
    },
    handler: async (req) => uc.confirmTotpEnrolment({ db, vault }, actorOf(req), req.body.code, req.sessionId),
  });

  r.get('/api/v1/tokens', {
    config: { policy: 'signed-in' },
    schema: { tags: ['tokens'], summary: 'Your API tokens', description: 'Newest first; revoked and expired ones included. The secrets are never shown again.', response: { 200: z.object({ items: z.array(tokenInfo) }), ...problemResponses } },
    handler: async (req) => ({ items: await uc.listOwnTokens(db, actorOf(req)) }),
  });

  r.post('/api/v1/tokens', {
    config: { policy: 'token.create-own' },
    schema: {
      tags: ['tokens'],
      summary: 'Create an API token for yourself',
      description: `The token is shown once; only its hash is kept. Scope \`read\` (no changes), \`write\` (default) or \`admin\`; made with a token, it can not have a wider scope than that token.`,
      body: z
        .object({ name: z.string().min(1).max(100), expiresInDays: z.number().int().min(1).max(3650).optional(), scope: z.enum(uc.TOKEN_SCOPES).optional() })
        .strict(),
      response: {
        201: z.object({ id: z.string(), token: z.string(), scope: z.enum(uc.TOKEN_SCOPES), expiresAt: z.string().nullable() }),
        ...problemResponses,
      },
    },
    handler: async (req, reply) => reply.status(201).header('cache-control', 'no-store').send(await uc.createOwnToken(db, actorOf(req), req.tokenScope, req.body)),
  });

  r.delete('/api/v1/tokens/:id', {
    config: { policy: 'signed-in' },
    schema: {
      tags: ['tokens'],
      summary: 'Revoke one of your API tokens',
      params: userIdParams,
      response: { 204: z.null().describe('Revoked'), 409: problemSchema.describe('Already revoked'), ...problemResponses },
    },
    handler: async (req, reply) => {
      await uc.revokeToken(db, actorOf(req), req.params.id);
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

  r.post('/api/v1/users/:id/password', {
    config: { policy: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: "Reset an account's password (administrators)",
      description: 'Sets a new password; every session of the account ends and its lockout is lifted. Its API tokens stay valid (disable the account to revoke them).',
      params: userIdParams,
      body: z.object({ password: z.string().max(1024) }).strict(),
      response: { 200: z.object({ sessionsEnded: z.number().int() }), ...problemResponses },
    },
    handler: async (req) => uc.resetPassword(db, actorOf(req), { id: req.params.id }, req.body.password),
  });

  r.post('/api/v1/users/:id/disable', {
    config: { policy: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: 'Disable an account (administrators)',
      description: 'It can no longer sign in; its sessions end and its API tokens are revoked. The last active administrator can not be disabled.',
      params: userIdParams,
      response: { 200: publicUser.extend({ sessionsEnded: z.number().int(), tokensRevoked: z.number().int() }), 409: problemSchema, ...problemResponses },
    },
    handler: async (req) => uc.disableUser(db, actorOf(req), { id: req.params.id }),
  });

  r.post('/api/v1/users/:id/enable', {
    config: { policy: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: 'Enable a disabled account (administrators)',
      params: userIdParams,
      response: { 200: publicUser, 409: problemSchema, ...problemResponses },
    },
    handler: async (req) => uc.enableUser(db, actorOf(req), { id: req.params.id }),
  });

  r.delete('/api/v1/users/:id/totp', {
    config: { policy: 'user.manage' },
    schema: {
      tags: ['users'],
      summary: "Reset an account's second factor (administrators)",
      description: 'For a lost phone: removes the TOTP secret and ends the account’s sessions; it enrols again at its next sign-in.',
      params: userIdParams,
      response: { 200: z.object({ sessionsEnded: z.number().int() }), 409: problemSchema, ...problemResponses },
    },
    handler: async (req) => uc.resetTotp(db, actorOf(req), { id: req.params.id }),
  });
}
