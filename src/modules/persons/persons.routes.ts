import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses, problemSchema } from '../../app/http/problem.js';
import { identitySchema, recordId } from '../records/records.schemas.js';
import type { RecordsDeps } from '../records/records.usecases.js';
import { revealPerson } from './persons.usecases.js';

export function registerPersonRoutes(app: FastifyInstance, deps: RecordsDeps): void {
  app.withTypeProvider<ZodTypeProvider>().post('/api/v1/persons/:id/reveal', {
    config: { policy: 'identity.reveal' },
    schema: {
      tags: ['persons'],
      summary: 'Reveal a person’s identity and name spellings (audited; needs a reason)',
      description:
        'Needs the reveal permission in the person’s compartment (coordinators). The reason is kept in the audit log with who read what, when. Answers 503 while the vault is sealed.',
      params: z.object({ id: recordId }),
      body: z.object({ reason: z.string().max(1000) }).strict(),
      response: {
        200: z.object({
          id: z.string(),
          pseudonym: z.string(),
          identity: identitySchema.nullable(),
          names: z.array(
            z.object({
              id: z.string(),
              text: z.string().nullable(),
              script: z.string().nullable(),
              language: z.string().nullable(),
              system: z.string().nullable(),
              preferred: z.boolean().nullable(),
            }),
          ),
        }),
        500: problemSchema,
        503: problemSchema,
        ...problemResponses,
      },
    },
    handler: async (req) => revealPerson(deps, actorOf(req), req.params.id, req.body.reason) as any,
  });
}
