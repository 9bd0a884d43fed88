/**
 * Typed domain errors. Domain and data code throw these; one tRPC middleware
 * (packages/api) maps each code to a tRPC error code, so there is one place to look.
 */
export const DOMAIN_ERROR_CODES = [
  'BAD_INPUT',
  'NOT_FOUND',
  'FORBIDDEN',
  'UNAUTHENTICATED',
  'CONFLICT',
  'ILLEGAL_TRANSITION',
  'RATE_LIMITED',
  'SCHEMA_MISMATCH',
  'INTERNAL',
] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: DomainErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
