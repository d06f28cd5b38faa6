import type { SsrfReason } from './address-policy.js';

export type CallbackErrorCode =
  | 'ssrf_refused'
  | 'timeout'
  | 'network_error'
  | 'redirect_refused'
  | 'response_too_large'
  | `http_${number}`;

/**
 * A failed callback POST. The message names the host at most: a callback URL's path and query
 * may carry the receiver's token, so they never reach an error, a log line or `last_error`.
 */
export class CallbackError extends Error {
  override readonly name = 'CallbackError';
  constructor(
    readonly code: CallbackErrorCode,
    readonly host: string | null,
    readonly details: { reason?: SsrfReason; httpStatus?: number } = {},
  ) {
    super(`${code}${details.reason ? ` (${details.reason})` : ''}${host ? ` for host ${host}` : ''}`);
  }

  get reason(): SsrfReason | undefined {
    return this.details.reason;
  }

  get httpStatus(): number | undefined {
    return this.details.httpStatus;
  }

  /**
   * A refusal by policy means the target is wrong, not down: the outbox turns callbacks off for
   * the handoff instead of retrying. A DNS failure may be transient, so it is retried.
   */
  get disablesCallbacks(): boolean {
    return this.code === 'ssrf_refused' && this.details.reason !== 'dns_failed';
  }

  /** The receiver refused for good: a 4xx other than 408 and 429 (410 Gone included). Never retried (docs/contract/privacy-and-reliability.md#callback-hosts). */
  get refusedForGood(): boolean {
    const status = this.details.httpStatus;
    return this.code.startsWith('http_') && status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
  }

  /** Worth another attempt later: transient transport trouble, 408, 429 and 5xx (docs/contract/privacy-and-reliability.md#callback-hosts: no other 4xx). */
  get retryable(): boolean {
    if (this.code === 'ssrf_refused') return this.details.reason === 'dns_failed';
    if (this.code === 'timeout' || this.code === 'network_error') return true;
    const status = this.details.httpStatus;
    if (this.code.startsWith('http_') && status !== undefined) {
      return status >= 500 || status === 408 || status === 429;
    }
    return false;
  }
}
