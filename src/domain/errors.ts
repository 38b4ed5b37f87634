/**
 * Errors the use cases raise. Each carries what the user needs to correct the request; the HTTP
 * layer turns them into RFC 9457 problem details, the CLI into a one-line message.
 */

export interface FieldProblem {
  /** Dotted path of the field at fault, e.g. `start.value` or `methods.2`. */
  field: string;
  message: string;
}

export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly title: string;
}

export class ValidationError extends DomainError {
  readonly status = 422;
  readonly title = 'Invalid input';
  constructor(
    readonly problems: FieldProblem[],
    summary?: string,
  ) {
    super(summary ?? problems.map((p) => `${p.field}: ${p.message}`).join('; '));
  }
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly title = 'Not found';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly title = 'Authentication required';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly title = 'Not allowed';
}

/** The record changed since the client read it (If-Match did not match). */
export class PreconditionFailedError extends DomainError {
  readonly status = 412;
  readonly title = 'Record changed since you read it';
  constructor(
    message: string,
    readonly currentVersion: number,
  ) {
    super(message);
  }
}

/** A write that must name the version it replaces did not. */
export class PreconditionRequiredError extends DomainError {
  readonly status = 428;
  readonly title = 'If-Match required';
}

export interface Referrer {
  type: string;
  field: string;
  id: string;
  label: string | null;
}

/** Refused because other records refer to this one. */
export class ReferencedError extends DomainError {
  readonly status = 409;
  readonly title = 'Record is referenced';
  constructor(
    message: string,
    readonly referrers: Referrer[],
  ) {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly title = 'Conflict';
}

export class TooManyRequestsError extends DomainError {
  readonly status = 429;
  readonly title = 'Too many attempts';
}
