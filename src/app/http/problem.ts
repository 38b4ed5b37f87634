import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, PreconditionFailedError, ReferencedError, ValidationError, type FieldProblem } from '../../domain/errors.js';

/**
 * RFC 9457 problem details: every error the API answers is `application/problem+json` with a
 * title, a sentence saying what was wrong, and, for bad input, the fields at fault.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string().optional(),
  errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  referrers: z.array(z.object({ type: z.string(), field: z.string(), id: z.string(), label: z.string().nullable() })).optional(),
  currentVersion: z.number().int().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** Standard problem responses to declare on routes, so the OpenAPI document lists them. */
export const problemResponses = {
  400: problemSchema.describe('Malformed request'),
  401: problemSchema.describe('Not signed in'),
  403: problemSchema.describe('Not allowed'),
  404: problemSchema.describe('Not found'),
  413: problemSchema.describe('Body too large'),
  422: problemSchema.describe('Invalid input; `errors` names the fields'),
  429: problemSchema.describe('Too many requests'),
} as const;

function problemFor(error: FastifyError | Error, request: FastifyRequest): Problem {
  const instance = request.url.split('?')[0];
  if (error instanceof DomainError) {
    const p: Problem = { type: 'about:blank', title: error.title, status: error.status, detail: error.message, instance };
    if (error instanceof ValidationError) p.errors = error.problems;
    if (error instanceof ReferencedError) p.referrers = error.referrers;
    if (error instanceof PreconditionFailedError) p.currentVersion = error.currentVersion;
    return p;
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as any).validationContext as string | undefined;
    const errors: FieldProblem[] = error.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      const params = v.params as { issue?: { code?: string; keys?: string[] } } | undefined;
      const keys = params?.issue?.keys ?? (/^Unrecognized keys?: (.*)$/.exec(v.message ?? '')?.[1]?.replace(/"/g, '').split(', '));
      if (params?.issue?.code === 'unrecognized_keys' || /^Unrecognized key/.test(v.message ?? ''))
        return { field: keys?.join(', ') ?? path, message: `unknown field${(keys?.length ?? 1) > 1 ? 's' : ''}: ${keys?.join(', ')}` };
      const message = /received undefined/.test(v.message ?? '') ? 'is required' : (v.message ?? 'is invalid');
      return { field: path || `(${where ?? 'body'})`, message };
    });
    return {
      type: 'about:blank',
      title: 'Invalid request',
      status: 422,
      detail: `invalid ${where ?? 'input'}: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`,
      instance,
      errors,
    };
  }
  const fe = error as FastifyError;
  if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return { type: 'about:blank', title: 'Body too large', status: 413, detail: `the request body is larger than the ${(request.server.initialConfig.bodyLimit ?? 0) / 1024} KiB this server accepts`, instance };
  if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return { type: 'about:blank', title: 'Unsupported media type', status: 415, detail: 'send the body as application/json', instance };
  if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
    return { type: 'about:blank', title: 'Malformed JSON', status: 400, detail: 'the body is empty but its content type is application/json', instance };
  if (fe.statusCode === 400 && (error instanceof SyntaxError || /JSON/.test(error.message)))
    return { type: 'about:blank', title: 'Malformed JSON', status: 400, detail: `the body is not valid JSON: ${error.message}`, instance };
  if (fe.statusCode === 429)
    return { type: 'about:blank', title: 'Too many requests', status: 429, detail: error.message, instance };
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500)
    return { type: 'about:blank', title: 'Bad request', status: fe.statusCode, detail: error.message, instance };
  if (isDbConstraintError(error))
    return { type: 'about:blank', title: 'Conflict', status: 409, detail: 'the change conflicts with another record changed at the same moment; reload and try again', instance };
  return { type: 'about:blank', title: 'Internal error', status: 500, detail: 'the server could not complete the request; nothing was changed. The error is in the server log.', instance };
}

function isDbConstraintError(error: Error): boolean {
  const code = (error as any).code as string | undefined;
  return code === '23503' || code === '23505' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Fastify error handler: logs server faults, answers problem+json, never a stack trace. */
export function problemErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const p = problemFor(error, request);
  if (p.status >= 500 || isResponseSerializationError(error)) request.log.error({ err: error }, 'request failed');
  return reply.status(p.status).type('application/problem+json').send(p);
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return reply
    .status(404)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: 'Not found', status: 404, detail: `no route ${request.method} ${request.url.split('?')[0]}`, instance: request.url.split('?')[0] });
}
