import { ERROR_STATUS, type ErrorCode } from '../../shared/errors.js';
import type { ErrorBody, ErrorIssue } from '../../shared/schemas/error-body.js';

/** An error with a stable code from shared/errors.ts; its HTTP status comes from that one table. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  toBody(): ErrorBody {
    return this.issues ? { error: this.code, message: this.message, issues: this.issues } : { error: this.code, message: this.message };
  }
}

/** Turns anything thrown into an ApiError; unknown failures become `unavailable` without leaking details. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError('unavailable', 'The service cannot handle this request right now; retry later.');
}
