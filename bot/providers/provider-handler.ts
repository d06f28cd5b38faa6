import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HandoffConfig } from '../config/load-config.js';
import { ApiError, toApiError } from '../errors/api-error.js';
import type { CallIntake, CallRef } from '../intake/call-intake.js';
import { exceedsDepth } from '../http/json-depth.js';
import { lingerAfterAnswer } from '../http/linger.js';
import { BodyTooLargeError, readRawBody } from '../http/read-body.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HandoffRecord } from '../store/records.js';
import { wantsPerson } from '../connect/answers.js';
import { combineAsks } from './combine-asks.js';
import { PROVIDERS, verifyRequest, type ProviderSecrets } from './index.js';
import { isPlatform, jsonAnswer, type AskResult, type HttpAnswer, type ProviderInput, type RawRequest, type VerifyFailure } from './types.js';
import { codeOf } from '../../shared/error-code.js';

export const PROVIDER_PATH_PREFIX = '/v1/providers/';
const PATH = /^\/v1\/providers\/([^/?#]+)\/([^/?#]+)\/?(?:\?.*)?$/;

export interface ProviderHandlerDeps {
  config: HandoffConfig;
  secrets: ProviderSecrets;
  calls: CallIntake;
  clock: () => number;
  logger: Logger;
  metrics: Metrics;
  /** Vapi's transfer-destination-request (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi); without it the call's handoff is made sure of and `{}` answers. */
  transfer?: (ref: CallRef, handoff: HandoffRecord, req: IncomingMessage) => Promise<HttpAnswer>;
  /** A Retell custom function with `wait_for_person: true` (docs/contract/reaching-the-caller.md#claim-to-connect-on-retell): held until a person claims, after its handoff is committed. */
  waitForPerson?: (ref: CallRef, ask: AskResult, req: IncomingMessage) => Promise<HttpAnswer>;
}

const FAILURE_MESSAGE: Record<VerifyFailure, string> = {
  not_configured: 'No secret is configured for this platform.',
  missing_header: 'The platform signature or credential header is missing.',
  bad_signature: 'The platform signature or credential does not verify.',
  stale_timestamp: 'The signature timestamp is outside the allowed window.',
};

const NOT_FOUND_MESSAGE = 'No such provider endpoint: /v1/providers/{retell|vapi|elevenlabs|twilio}/<a configured workflow id>.';

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v[0] : v;
  return out;
}

function send(res: ServerResponse, answer: HttpAnswer, extra?: Record<string, string>): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': Buffer.byteLength(answer.body), ...extra });
  res.end(answer.body);
}

/** `POST /v1/providers/{retell|vapi|elevenlabs|twilio}/:workflow_id` (docs/contract/voice-platforms.md#endpoints), on a bare node handler like `/v1/handoffs`. */
export function isProviderPath(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(PROVIDER_PATH_PREFIX);
}

/**
 * Verifies with the platform's own scheme on the raw bytes, maps with the platform's pure functions,
 * then hands every request for a person to the one shared call intake, and answers in the
 * platform's format. Refuses only: 404 (unknown platform, or a verified request to an unknown workflow), 413, 401, 400 (not the
 * platform's request at all); a store that cannot write answers 503 so the platform retries.
 */
export function createProviderHandler(deps: ProviderHandlerDeps) {
  async function handle(req: IncomingMessage, ctx: { platform?: string; result?: string }): Promise<HttpAnswer> {
    const url = req.url ?? '';
    const m = PATH.exec(url);
    const platformName = m ? safeDecode(m[1]!) : '';
    const workflowId = m ? safeDecode(m[2]!) : '';
    if (!m || !isPlatform(platformName)) {
      req.resume();
      throw new ApiError('not_found', NOT_FOUND_MESSAGE);
    }
    ctx.platform = platformName;
    if (req.method !== 'POST') {
      req.resume();
      throw new ApiError('method_not_allowed', `${req.method ?? ''} is not allowed here; use POST.`, undefined, { allow: 'POST' });
    }
    let body: Buffer;
    try {
      body = await readRawBody(req);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new ApiError('payload_too_large', 'The body is larger than 64 KiB.');
      throw new ApiError('invalid_request', 'The request body could not be read.');
    }
    const adapter = PROVIDERS[platformName];
    const raw: RawRequest = { headers: headersOf(req), body, pathAndQuery: url };
    const verified = verifyRequest(platformName, raw, deps.secrets, deps.clock());
    if (!verified.ok) throw new ApiError('invalid_signature', FAILURE_MESSAGE[verified.failure]);
    // Only after the platform's credential verified: an unauthenticated client must not learn which workflow ids exist.
    const workflow = deps.config.workflows.get(workflowId);
    if (!workflow) throw new ApiError('not_found', NOT_FOUND_MESSAGE);
    const input = adapter.parse(raw, verified);
    if (input.kind === 'invalid') throw new ApiError(input.code, input.message);
    const ref: CallRef = { platform: platformName, workflow };
    const results = await dispatch(ref, input, req, ctx);
    return results.answer ?? adapter.answer(input, results.asks);
  }

  async function dispatch(ref: CallRef, input: ProviderInput, req: IncomingMessage, ctx: { result?: string }): Promise<{ asks: AskResult[]; answer?: HttpAnswer }> {
    switch (input.kind) {
      case 'handoff': {
        if (input.asks.some((a) => exceedsDepth(a.params))) throw new ApiError('invalid_request', 'The parameters are nested too deeply.');
        // Every tool call of the request as one ask: one handoff change, one event, one card edit; each
        // call is answered with its result.
        const outcome = await deps.calls.ask(ref, combineAsks(input.asks));
        const asks: AskResult[] = input.asks.map(() => outcome.result);
        ctx.result = outcome.replayed ? 'replayed' : 'accepted';
        if (ref.platform === 'retell' && deps.waitForPerson && asks[0] && wantsPerson(input.asks[0]!.params)) {
          return { asks, answer: await deps.waitForPerson(ref, asks[0], req) };
        }
        return { asks };
      }
      case 'call_ended':
        await deps.calls.callEnded(ref, input.callId, input.summary);
        ctx.result = 'call_ended';
        return { asks: [] };
      case 'transfer_request': {
        const handoff = await deps.calls.findOrCreate(ref, { callId: input.callId, callerId: input.callerId });
        ctx.result = 'transfer_request';
        return { asks: [], answer: deps.transfer ? await deps.transfer(ref, handoff, req) : jsonAnswer({}) };
      }
      default:
        ctx.result = input.kind;
        return { asks: [] };
    }
  }

  return function providerHandler(req: IncomingMessage, res: ServerResponse): void {
    const started = process.hrtime.bigint();
    const ctx: { platform?: string; result?: string } = {};
    const done = (result: string) => {
      deps.metrics.providerRequests.inc({ platform: ctx.platform ?? 'unknown', result });
      deps.metrics.intakeLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
    };
    handle(req, ctx).then(
      (answer) => {
        send(res, answer);
        done(ctx.result ?? 'ok');
      },
      (err: unknown) => {
        const apiError = toApiError(err);
        const extra = apiError.status === 413 ? { connection: 'close' } : undefined;
        if (extra) lingerAfterAnswer(req.socket);
        send(res, jsonAnswer(apiError.toBody(), apiError.status), { ...apiError.headers, ...extra });
        done(apiError.code);
        if (apiError.status >= 500) {
          deps.logger.warn({ platform: ctx.platform, err_code: codeOf(err) ?? apiError.code }, 'provider request unavailable');
        } else {
          deps.logger.info({ platform: ctx.platform, err_code: apiError.code, status: apiError.status }, 'provider request rejected');
        }
      },
    );
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return '';
  }
}
