import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { KeyVault } from '../../adapters/keys/vault.js';
import { can } from '../../domain/policies.js';
import { ForbiddenError, ValidationError } from '../../domain/errors.js';
import type { AppendAuditEvent } from '../audit/audit.port.js';
import type { Kysely } from 'kysely';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';

const statusSchema = z.object({
  mode: z.enum(['dev', 'sealed']),
  initialized: z.boolean(),
  method: z.enum(['dev', 'passphrase', 'shares']).nullable(),
  sealed: z.boolean(),
  sealVersion: z.number().nullable(),
  masterVersion: z.number().nullable(),
  threshold: z.number().nullable(),
  shares: z.number().nullable(),
  received: z.number(),
  reason: z.string().optional(),
});

/**
 * The vault over HTTP: its status, unsealing by passphrase or one share at a time (each custodian
 * submits theirs), and sealing. Shares are held in this process only until enough have come.
 */
export interface VaultRouteDeps {
  db: Kysely<any>;
  vault: KeyVault;
  audit: AppendAuditEvent;
  /** The signed-in account of a request to a public route, if any (for the audit log). */
  optionalActorId: (req: FastifyRequest) => Promise<string | null>;
}

export function registerVaultRoutes(app: FastifyInstance, deps: VaultRouteDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['vault'];

  r.get('/api/v1/vault/status', {
    config: { policy: 'vault.status' },
    schema: { tags, summary: 'Whether the vault is sealed, and how many shares it has received', response: { 200: statusSchema, ...problemResponses } },
    handler: async (req) => {
      if (!can(actorOf(req), 'vault.status')) throw new ForbiddenError('your role may not see the vault status');
      return deps.vault.status();
    },
  });

  // Public, like a vault's unseal endpoint must be: while sealed, second factors cannot be checked,
  // so custodians may not be able to sign in. The share or passphrase is the credential; attempts
  // are rate-limited and audited (with the account, when one is signed in).
  r.post('/api/v1/vault/unseal', {
    config: { policy: 'public', rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Submit the passphrase or one share (key custodians)',
      description: 'Each custodian submits their share; the vault opens when the threshold is reached. Shares are kept in this process only, and a wrong set discards them all.',
      security: [],
      body: z
        .object({ share: z.string().max(2000).optional(), passphrase: z.string().max(1024).optional() })
        .strict()
        .refine((b) => (b.share === undefined) !== (b.passphrase === undefined), 'send exactly one of share or passphrase'),
      response: { 200: statusSchema, 409: problemSchema, 503: problemSchema, ...problemResponses },
    },
    handler: async (req) => {
      const actorId = await deps.optionalActorId(req);
      const wasSealed = deps.vault.isSealed();
      let status;
      try {
        if (req.body.passphrase !== undefined) status = await deps.vault.unsealWithPassphrase(req.body.passphrase);
        else if (req.body.share !== undefined) status = await deps.vault.submitShare(req.body.share);
        else throw new ValidationError([{ field: '(body)', message: 'send exactly one of share or passphrase' }]);
      } catch (e) {
        await deps.audit(deps.db, { action: 'vault.unseal-failed', actorId, details: { by: req.body.passphrase !== undefined ? 'passphrase' : 'share' } });
        throw e;
      }
      await deps.audit(deps.db, {
        action: wasSealed && !status.sealed ? 'vault.unseal' : 'vault.share-submitted',
        actorId,
        details: { received: status.received, threshold: status.threshold },
      });
      return status;
    },
  });

  r.post('/api/v1/vault/seal', {
    config: { policy: 'vault.seal' },
    schema: { tags, summary: 'Seal the vault: wipe the keys from this process (administrators)', response: { 200: statusSchema, ...problemResponses } },
    handler: async (req) => {
      const actor = actorOf(req);
      if (!can(actor, 'vault.seal')) throw new ForbiddenError('only administrators may seal the vault');
      deps.vault.seal();
      await deps.audit(deps.db, { action: 'vault.seal', actorId: actor.userId });
      return deps.vault.status();
    },
  });
}
