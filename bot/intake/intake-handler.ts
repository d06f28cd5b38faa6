import type { IncomingMessage, ServerResponse } from 'node:http';
import { verifyWebhook } from '../../shared/standard-webhooks.js';
import type { HandoffConfig, Workflow } from '../config/load-config.js';
import { decideIntake } from '../domain/decide-intake.js';
import { newHandoffId } from '../domain/ids.js';
import { ApiError, toApiError } from '../errors/api-error.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { isStoreError, type Store, type StoredResponse } from '../store/store.js';
import { acceptedHandoff } from './accept-handoff.js';
import { bodyHash } from './canonical-json.js';
import { idempotencyKeyOf } from './idempotency-key.js';
import { exceedsDepth, MAX_JSON_DEPTH } from '../http/json-depth.js';
import { illFormedStringPaths } from './well-formed.js';
import { lingerAfterAnswer } from '../http/linger.js';
import { BodyAbortedError, BodyTooLargeError, readRawBody } from '../http/read-body.js';
import { validateRequest } from './validate-request.js';
import { codeOf } from '../../shared/error-code.js';

export interface IntakeDeps {
  config: HandoffConfig;
  store: Store;
  /** Decoded `whsec_` keys; empty only when unsigned webhooks are allowed on purpose. */
  webhookKeys: readonly Buffer[];
  allowUnsigned: boolean;
  smsConfigured: boolean;
  /** Why callbacks are off for this URL (SSRF guard pre-check, no secret, workflow setting), or null. */
  callbackOffReason: (url: string, workflow: Workflow) => string | null;
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

function send(res: ServerResponse, status: number, body: string, extraHeaders?: Record<string, string>): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), ...extraHeaders });
  res.end(body);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * `POST /v1/handoffs` as a bare node handler: the webhook's hot path skips Express entirely.
 * Order of checks is the contract's (docs/contract/http-api.md#order-of-checks): 413, 415, 401, 400, replay, 422s, 409, then commit -> 202.
 */
/** A stored 202 for a known key: the first response again, or 422 when the body is not the same. */
function replayOf(stored: StoredResponse, hash: string) {
  if (stored.bodyHash !== hash) throw new ApiError('idempotency_key_reused', 'This idempotency key was already used with a different body.');
  return { status: 202, body: stored.response, headers: { 'idempotent-replayed': 'true' }, result: 'replayed' as const, handoffId: stored.handoffId };
}

export function createIntakeHandler(deps: IntakeDeps) {
  const inFlight = new Map<string, string>(); // scoped key -> body hash, while being committed

  async function handle(req: IncomingMessage): Promise<{ status: number; body: string; headers?: Record<string, string>; result: string; handoffId?: string }> {
    let raw: Buffer;
    try {
      raw = await readRawBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new ApiError('payload_too_large', 'The body is larger than 64 KiB.');
      throw err;
    }
    if (!JSON_TYPE.test(header(req, 'content-type') ?? '')) {
      throw new ApiError('unsupported_media_type', 'Content-Type must be application/json.');
    }
    const webhookId = header(req, 'webhook-id');
    let signatureStatus: 'verified' | 'unsigned' = 'unsigned';
    const signature = header(req, 'webhook-signature');
    // HANDOFF_ALLOW_UNSIGNED admits requests that carry no signature at all (e.g. while a platform is
    // being moved to signing); a request that does carry one must still verify.
    const unsignedAdmitted = deps.allowUnsigned && signature === undefined;
    if (deps.webhookKeys.length > 0 && !unsignedAdmitted) {
      const failure = verifyWebhook({
        keys: deps.webhookKeys,
        id: webhookId,
        timestamp: header(req, 'webhook-timestamp'),
        signature,
        body: raw,
        nowSeconds: Math.floor(deps.clock() / 1000),
      });
      if (failure) {
        const message =
          failure === 'missing_headers'
            ? 'webhook-id, webhook-timestamp and webhook-signature headers are required.'
            : failure === 'stale_timestamp'
              ? 'webhook-timestamp is more than 300 seconds from now.'
              : 'The webhook signature does not verify.';
        throw new ApiError('invalid_signature', message);
      }
      signatureStatus = 'verified';
    } else if (!deps.allowUnsigned) {
      throw new ApiError('invalid_signature', 'No webhook secret is configured.');
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError('invalid_json', 'The body is not valid JSON.');
    }
    if (exceedsDepth(body)) {
      // Checked before anything walks the value recursively (body hash, schema): see json-depth.ts.
      throw new ApiError('validation_failed', 'The body is nested too deeply.', [{ path: '(root)', message: `must not nest deeper than ${MAX_JSON_DEPTH} levels` }]);
    }

    const illFormed = illFormedStringPaths(body);
    if (illFormed.length > 0) {
      throw new ApiError('validation_failed', 'A string holds a lone UTF-16 surrogate, which cannot be stored as written.', illFormed.map((path) => ({ path, message: 'must be well-formed Unicode (no lone surrogate)' })));
    }
    const obj = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : null;
    const key = idempotencyKeyOf(obj?.idempotency_key, webhookId);
    const workflowId = obj && typeof obj.workflow_id === 'string' ? obj.workflow_id : null;
    const hash = obj ? bodyHash(raw.toString('utf8')) : '';
    if (key && workflowId) {
      const stored = await deps.store.idempotency.get(workflowId, key);
      if (stored) return replayOf(stored, hash);
    }

    const { request, workflow, fields } = validateRequest(body, deps.config);
    const receivedAt = deps.clock();
    const decision = decideIntake(request, workflow, receivedAt, { smsConfigured: deps.smsConfigured });
    if (!decision) {
      throw new ApiError('unknown_reason', 'handoff_reason is not one of the workflow\'s reasons.', [
        { path: 'handoff_reason', message: `not a reason of workflow ${workflow.id}` },
      ]);
    }

    const scopedKey = key ? `${workflow.id}\u0000${key}` : null;
    if (scopedKey) {
      const pendingHash = inFlight.get(scopedKey);
      if (pendingHash !== undefined) {
        if (pendingHash !== hash) throw new ApiError('idempotency_key_reused', 'This idempotency key is in use with a different body.');
        throw new ApiError('idempotency_in_progress', 'An identical request is still being committed; retry shortly.', undefined, { 'retry-after': '1' });
      }
      inFlight.set(scopedKey, hash);
    }
    const id = newHandoffId(receivedAt);
    try {
      const { unit, response } = acceptedHandoff({
        id,
        request,
        fields,
        workflow,
        decision,
        receivedAt,
        signatureStatus,
        callbacksOffReason: deps.callbackOffReason(request.webhook_url, workflow),
        idempotency: key ? { key, bodyHash: hash } : null,
      });
      await deps.store.accept(unit);
      deps.logger.info(
        { handoff_id: id, workflow: workflow.id, reason: decision.reason, severity: decision.severity, signature: signatureStatus },
        'handoff accepted',
      );
      return { status: 202, body: response, result: 'accepted', handoffId: id };
    } catch (err) {
      // Another process committed this key first (its insert won the primary key): answer as a retry would be.
      const stored = key && isStoreError(err, 'duplicate') ? await deps.store.idempotency.get(workflow.id, key) : null;
      if (stored) return replayOf(stored, hash);
      deps.logger.error({ workflow: workflow.id, err_code: codeOf(err) ?? 'store_error' }, 'handoff commit failed');
      throw new ApiError('unavailable', 'The handoff could not be stored; nothing was kept. Retry with the same idempotency key.', undefined, {
        'retry-after': '1',
      });
    } finally {
      if (scopedKey) inFlight.delete(scopedKey);
    }
  }

  return function intakeHandler(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    handle(req).then(
      (out) => {
        send(res, out.status, out.body, out.headers);
        deps.metrics.handoffsReceived.inc({ result: out.result });
        deps.metrics.intakeLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      },
      (err: unknown) => {
        if (err instanceof BodyAbortedError) {
          // Nobody to answer; counted, not logged: a flood of dropped uploads must not flood the log.
          res.destroy();
          deps.metrics.handoffsReceived.inc({ result: 'aborted' });
          return;
        }
        const apiError = toApiError(err);
        const extra = apiError.status === 413 ? { connection: 'close' } : undefined;
        if (extra) lingerAfterAnswer(req.socket);
        send(res, apiError.status, JSON.stringify(apiError.toBody()), { ...apiError.headers, ...extra });
        deps.metrics.handoffsReceived.inc({ result: apiError.code });
        deps.metrics.intakeLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
        if (apiError.status >= 500) deps.logger.warn({ err_code: apiError.code }, 'intake unavailable');
        else deps.logger.info({ err_code: apiError.code, status: apiError.status }, 'handoff rejected');
      },
    );
  };
}
