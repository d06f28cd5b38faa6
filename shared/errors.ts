/**
 * The stable error codes of the HTTP API (docs/contract/http-api.md#errors), each with its status.
 * One table: the bot maps codes to statuses here and nowhere else.
 */
export const ERROR_STATUS = {
  payload_too_large: 413,
  unsupported_media_type: 415,
  invalid_signature: 401,
  invalid_json: 400,
  unknown_workflow: 422,
  validation_failed: 422,
  unknown_reason: 422,
  idempotency_key_reused: 422,
  idempotency_in_progress: 409,
  unavailable: 503,
  not_found: 404,
  method_not_allowed: 405,
  unauthorized: 401,
  invalid_pairing_code: 401,
  conflict: 409,
  forbidden: 403,
  rate_limited: 429,
  invalid_request: 400,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
