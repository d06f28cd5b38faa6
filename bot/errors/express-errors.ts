import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ApiError, toApiError } from './api-error.js';
import { codeOf } from '../../shared/error-code.js';

export function sendApiError(res: Response, err: ApiError): void {
  if (err.headers) res.set(err.headers);
  res.status(err.status).json(err.toBody());
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendApiError(res, new ApiError('not_found', `No route for ${req.method} ${req.path}`));
};

/** Maps body-parser failures (too large, bad JSON) and thrown ApiErrors to the contract's codes (docs/contract/http-api.md#errors). */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, _req, res, _next) => {
    const e = err as { type?: string; status?: number };
    let apiError: ApiError;
    if (e.type === 'entity.too.large') apiError = new ApiError('payload_too_large', 'The body is larger than allowed.');
    else if (e.type === 'entity.parse.failed') apiError = new ApiError('invalid_json', 'The body is not valid JSON.');
    else if (err instanceof ApiError) apiError = err;
    else if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) apiError = new ApiError('invalid_request', 'The request is malformed.');
    else {
      logger.error({ err_code: codeOf(err) ?? 'internal' }, 'request failed');
      apiError = toApiError(err);
    }
    if (res.headersSent) return;
    sendApiError(res, apiError);
  };
}
