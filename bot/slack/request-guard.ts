import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import { slackEventsBodySchema, slackInteractivePayloadSchema, slackSlashCommandSchema } from '../../shared/schemas/slack-inbound.js';
import { ApiError } from '../errors/api-error.js';
import { lingerAfterAnswer } from '../http/linger.js';
import { BodyAbortedError, BodyTooLargeError, readRawBody } from '../http/read-body.js';
import { ReplayCache } from './replay-cache.js';

/** docs/contract/privacy-and-reliability.md#hostile-traffic: `/slack/events` refuses bodies over 1 MiB. */
export const SLACK_MAX_BODY_BYTES = 1024 * 1024;
/** Slack's own rule: a request signed more than 5 minutes from now, either way, is refused. */
export const SLACK_SIGNATURE_WINDOW_S = 5 * 60;

export interface SlackGuardDeps {
  signingSecret: string;
  /** Wall clock for signature freshness (Slack signs with real time, whatever clock the bot's logic runs on). */
  now?: () => number;
}

/** Slack's v0 request signature: HMAC-SHA256 of `v0:{timestamp}:{raw body}` keyed with the signing secret. */
function signatureMatches(secret: string, timestamp: string, raw: Buffer, signature: string): boolean {
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:`).update(raw).digest('hex')}`,
    'utf8',
  );
  const given = Buffer.from(signature, 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Bolt's own rule (ExpressReceiver): a form body only under exactly this content type, else JSON. */
const FORM_TYPE = 'application/x-www-form-urlencoded';

/** Parses and shape-checks a verified body; a malformed one is the sender's fault (400), never ours. */
export function checkSlackBody(raw: Buffer, contentType: string | undefined): void {
  const text = raw.toString('utf8');
  if (contentType === FORM_TYPE) {
    const form = parseQuery(text);
    if ('payload' in form) {
      let payload: unknown;
      try {
        payload = JSON.parse(typeof form.payload === 'string' ? form.payload : '');
      } catch {
        throw new ApiError('invalid_json', 'payload is not valid JSON.');
      }
      if (!slackInteractivePayloadSchema.safeParse(payload).success) throw new ApiError('invalid_request', 'payload is not an interaction Slack sends.');
      return;
    }
    if ('ssl_check' in form) return;
    if (!slackSlashCommandSchema.safeParse(form).success) throw new ApiError('invalid_request', 'The form is not a slash command Slack sends.');
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('invalid_json', 'The body is not valid JSON.');
  }
  if (!slackEventsBodySchema.safeParse(body).success) throw new ApiError('invalid_request', 'The body is not an event Slack sends.');
}

/**
 * The gate in front of Bolt on `POST /slack/events`, in this order: the size bound (413, from the
 * Content-Length or as soon as the stream passes it, before anything else), the signature with a
 * timestamp within 5 minutes either way (401), a replay of a signature already seen in that window
 * (401), then the shape of the body (400). Bolt gets the verified bytes as `req.rawBody`.
 */
export function createSlackRequestGuard(deps: SlackGuardDeps) {
  const now = deps.now ?? Date.now;
  const seen = new ReplayCache();

  async function check(req: IncomingMessage): Promise<Buffer> {
    let raw: Buffer;
    try {
      raw = await readRawBody(req, SLACK_MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw new ApiError('payload_too_large', 'The body is larger than 1 MiB.');
      throw err;
    }
    const timestamp = header(req, 'x-slack-request-timestamp');
    const signature = header(req, 'x-slack-signature');
    if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) throw new ApiError('invalid_signature', 'Slack signature headers are missing or malformed.');
    const nowS = Math.floor(now() / 1000);
    if (Math.abs(nowS - Number(timestamp)) > SLACK_SIGNATURE_WINDOW_S) throw new ApiError('invalid_signature', 'The Slack request timestamp is more than 5 minutes from now.');
    if (!signatureMatches(deps.signingSecret, timestamp, raw, signature)) throw new ApiError('invalid_signature', 'The Slack signature does not verify.');
    // Remembered until its timestamp leaves the window: after that the freshness check refuses it anyway.
    if (!seen.add(signature, (Number(timestamp) + SLACK_SIGNATURE_WINDOW_S) * 1000, now())) {
      throw new ApiError('invalid_signature', 'This Slack request was already received.');
    }
    checkSlackBody(raw, header(req, 'content-type'));
    return raw;
  }

  /** Resolves true when the request may go on to Bolt (`req.rawBody` set); otherwise it has been answered. */
  return async function guard(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    try {
      (req as IncomingMessage & { rawBody?: Buffer }).rawBody = await check(req);
      return true;
    } catch (err) {
      if (err instanceof BodyAbortedError || !(err instanceof ApiError)) {
        res.destroy();
        return false;
      }
      const body = JSON.stringify(err.toBody());
      if (err.status === 413) lingerAfterAnswer(req.socket);
      res.writeHead(err.status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(body),
        ...(err.status === 413 ? { connection: 'close' } : {}),
      });
      res.end(body);
      return false;
    }
  };
}
