/** Error codes of paios' domain errors; only the API layer turns them into HTTP statuses. */
export enum ErrorCode {
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  Invalid = 'INVALID',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  /** Something paios needs is not there right now (a browser to draw with). */
  Unavailable = 'UNAVAILABLE',
}

export class DomainError extends Error {
  override name = 'DomainError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Safe, user-facing detail (never secrets), e.g. which field was wrong. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new DomainError(ErrorCode.NotFound, `${what} ${id} not found`);

/** PostgreSQL's unique_violation, as raised through the pg driver and TypeORM. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const code = e.driverError?.code ?? e.code;
  const name = e.driverError?.constraint ?? e.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}
