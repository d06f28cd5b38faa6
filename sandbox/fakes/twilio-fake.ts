import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { Listeners } from './listeners.js';
import { listenLoopback, readBody } from './loopback-server.js';

/** A fake of Twilio's Messages API on loopback: same paths, auth, form fields and error bodies. */

export type TwilioFault = { kind: 'status'; status: 500 | 503 | 429 } | { kind: 'hang' };

export interface FakeSms {
  sid: string;
  accountSid: string;
  to: string;
  from: string;
  body: string;
  status: 'queued';
  dateCreated: string;
}

export interface TwilioFakeRequest {
  at: number;
  path: string;
  httpStatus: number | null;
  twilioCode: number | null;
}

export type TwilioFakeChange = { kind: 'message'; message: FakeSms } | { kind: 'request'; request: TwilioFakeRequest };

export interface TwilioFakeOptions {
  accountSid?: string;
  authToken?: string;
  port?: number;
  clock?: () => number;
}

export interface TwilioFake {
  /** Base URL to use as `TWILIO_API_URL`. */
  url: string;
  port: number;
  accountSid: string;
  authToken: string;
  readonly messages: readonly FakeSms[];
  readonly requests: readonly TwilioFakeRequest[];
  /** The next `count` well-formed calls fail with `fault` instead of sending. */
  failNext(count: number, fault: TwilioFault): void;
  onChange(listener: (change: TwilioFakeChange) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const MAX_BODY = 1600;

const ERRORS = {
  20003: { status: 401, message: 'Authenticate' },
  20404: { status: 404, message: 'The requested resource was not found' },
  20429: { status: 429, message: 'Too Many Requests' },
  20500: { status: 500, message: 'Internal Server Error' },
  20503: { status: 503, message: 'Service Unavailable' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21212: { status: 400, message: "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID." },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
} as const satisfies Record<number, { status: number; message: string }>;
type TwilioErrorCode = keyof typeof ERRORS;

function errorBody(code: TwilioErrorCode): { status: number; json: Record<string, unknown> } {
  const { status, message } = ERRORS[code];
  return { status, json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

/** Twilio dates are RFC 2822 with a numeric zone: `Thu, 30 Jul 2015 20:12:31 +0000`. */
function rfc2822(ms: number): string {
  return new Date(ms).toUTCString().replace('GMT', '+0000');
}

function segments(body: string): number {
  return body.length <= 160 ? 1 : Math.ceil(body.length / 153);
}

export async function startTwilioFake(options: TwilioFakeOptions = {}): Promise<TwilioFake> {
  const accountSid = options.accountSid ?? `AC${randomBytes(16).toString('hex')}`;
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const clock = options.clock ?? Date.now;
  const expectedAuth = Buffer.from(`Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`);
  const messages: FakeSms[] = [];
  const requests: TwilioFakeRequest[] = [];
  const faults: TwilioFault[] = [];
  const listeners = new Listeners<TwilioFakeChange>();
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;

  const logRequest = (path: string, httpStatus: number | null, twilioCode: number | null): void => {
    const request = { at: clock(), path, httpStatus, twilioCode };
    requests.push(request);
    listeners.emit({ kind: 'request', request });
  };

  const sendJson = (res: http.ServerResponse, status: number, json: unknown, extra: Record<string, string> = {}): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra }).end(JSON.stringify(json));
  };

  const sendError = (res: http.ServerResponse, path: string, code: TwilioErrorCode): void => {
    const { status, json } = errorBody(code);
    logRequest(path, status, code);
    sendJson(res, status, json, code === 20429 ? { 'retry-after': '1' } : {});
  };

  const authorized = (req: http.IncomingMessage): boolean => {
    const given = Buffer.from(req.headers.authorization ?? '');
    return given.length === expectedAuth.length && timingSafeEqual(given, expectedAuth);
  };

  const server = await listenLoopback(
    async (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      const body = await readBody(req).catch(() => null);
      if (!authorized(req)) return sendError(res, path, 20003);
      if (path !== messagesPath) return sendError(res, path, 20404);
      if (req.method !== 'POST') {
        logRequest(path, 405, null);
        return sendJson(res, 405, { code: 20004, message: 'Method not allowed', more_info: 'https://www.twilio.com/docs/errors/20004', status: 405 });
      }
      if (body === null) return sendError(res, path, 21617);

      const fault = faults.shift();
      if (fault?.kind === 'hang') {
        logRequest(path, null, null);
        return; // never answered; close() drops the socket
      }
      if (fault?.kind === 'status') return sendError(res, path, fault.status === 429 ? 20429 : fault.status === 503 ? 20503 : 20500);

      const form = new URLSearchParams(body.toString('utf8'));
      const to = form.get('To');
      const from = form.get('From');
      const text = form.get('Body');
      if (!to) return sendError(res, path, 21604);
      if (!E164.test(to)) return sendError(res, path, 21211);
      if (!from) return sendError(res, path, 21603);
      if (!E164.test(from) && !/^[A-Za-z0-9 ]{1,11}$/.test(from)) return sendError(res, path, 21212);
      if (!text) return sendError(res, path, 21602);
      if (text.length > MAX_BODY) return sendError(res, path, 21617);

      const now = rfc2822(clock());
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const message: FakeSms = { sid, accountSid, to, from, body: text, status: 'queued', dateCreated: now };
      messages.push(message);
      logRequest(path, 201, null);
      listeners.emit({ kind: 'message', message });
      const uri = `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`;
      sendJson(res, 201, {
        account_sid: accountSid,
        api_version: '2010-04-01',
        body: text,
        date_created: now,
        date_sent: null,
        date_updated: now,
        direction: 'outbound-api',
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: null,
        num_media: '0',
        num_segments: String(segments(text)),
        price: null,
        price_unit: 'USD',
        sid,
        status: 'queued',
        subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
        to,
        uri,
      });
    },
    options.port ?? 0,
  );

  return {
    url: server.url,
    port: server.port,
    accountSid,
    authToken,
    messages,
    requests,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    onChange: (listener) => listeners.add(listener),
    reset() {
      messages.length = 0;
      requests.length = 0;
      faults.length = 0;
    },
    close: server.close,
  };
}
