import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MEMBERSHIP_ROLES } from '../../domain/policies.js';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import * as uc from './compartments.usecases.js';

const compartment = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), createdAt: z.string() });
const member = z.object({ userId: z.string(), username: z.string(), role: z.enum(MEMBERSHIP_ROLES), since: z.string() });

/** Compartments and their members. */
export function registerCompartmentRoutes(app: FastifyInstance, deps: uc.CompartmentDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['compartments'];

  r.get('/api/v1/compartments', {
    config: { policy: 'signed-in' },
    schema: {
      tags,
      summary: 'Compartments you belong to (administrators: all)',
      response: {
        200: z.object({ items: z.array(compartment.extend({ memberCount: z.number(), myRole: z.enum(MEMBERSHIP_ROLES).nullable() })) }),
        ...problemResponses,
      },
    },
    handler: async (req) => ({ items: await uc.listCompartments(deps.db, actorOf(req)) }),
  });

  r.post('/api/v1/compartments', {
    config: { policy: 'compartment.create' },
    schema: {
      tags,
      summary: 'Create a compartment (administrators)',
      body: z.object({ name: z.string().max(63), description: z.string().max(2000).optional() }).strict(),
      response: { 201: compartment, ...problemResponses },
    },
    handler: async (req, reply) => reply.status(201).send(await uc.createCompartment(deps, actorOf(req), req.body)),
  });

  r.get('/api/v1/compartments/:id/members', {
    config: { policy: 'signed-in' },
    schema: {
      tags,
      summary: 'Members of a compartment and their roles',
      params: z.object({ id: z.string().max(100) }),
      response: { 200: z.object({ compartment, members: z.array(member) }), ...problemResponses },
    },
    handler: async (req) => uc.listMembers(deps.db, actorOf(req), req.params.id),
  });

  r.put('/api/v1/compartments/:id/members/:user', {
    config: { policy: 'membership.manage' },
    schema: {
      tags,
      summary: 'Add a member or change their role (administrators, the compartment’s coordinators)',
      params: z.object({ id: z.string().max(100), user: z.string().max(100) }),
      body: z.object({ role: z.enum(MEMBERSHIP_ROLES) }).strict(),
      response: {
        200: z.object({ compartment, userId: z.string(), username: z.string(), role: z.enum(MEMBERSHIP_ROLES), previousRole: z.enum(MEMBERSHIP_ROLES).nullable() }),
        ...problemResponses,
      },
    },
    handler: async (req) => uc.setMembership(deps, actorOf(req), { compartment: req.params.id, user: req.params.user, role: req.body.role }),
  });

  r.delete('/api/v1/compartments/:id/members/:user', {
    config: { policy: 'membership.manage' },
    schema: {
      tags,
      summary: 'Remove a member (administrators, the compartment’s coordinators)',
      params: z.object({ id: z.string().max(100), user: z.string().max(100) }),
      response: { 204: z.null(), ...problemResponses },
    },
    handler: async (req, reply) => {
      await uc.removeMembership(deps, actorOf(req), { compartment: req.params.id, user: req.params.user });
      return reply.status(204).send(null);
    },
  });
}
