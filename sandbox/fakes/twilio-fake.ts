import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { Listeners } from './listeners.js';
import { callJson, callListJson, callRequestError, readTwiml, type FakeCall } from './twilio-calls.js';
import { listenLoopback, readBody } from './loopback-server.js';

/** A fake of Twilio's Messages and Calls APIs on loopback: same paths, auth, form fields and error bodies. */

export type { FakeCall } from './twilio-calls.js';

/** `lost_answer`: Twilio acts on the request (sends the SMS, places the call), then the connection drops unanswered. */
export type TwilioFault = { kind: 'status'; status: 500 | 503 | 429 } | { kind: 'hang' } | { kind: 'lost_answer' };

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

export type TwilioFakeChange =
  | { kind: 'message'; message: FakeSms }
  | { kind: 'call'; call: FakeCall }
  | { kind: 'request'; request: TwilioFakeRequest };

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
  /** Calls the Calls API would have placed (Call back), oldest first. */
  readonly calls: readonly FakeCall[];
  readonly requests: readonly TwilioFakeRequest[];
  /** The next `count` well-formed requests (an SMS or a call) fail with `fault` instead of sending. */
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
  12100: { status: 400, message: 'Document parse failure' },
  21201: { status: 400, message: "No 'To' number is specified" },
  21205: { status: 400, message: 'Url parameter is required' },
  21211: { status: 400, message: "The 'To' number is not a valid phone number." },
  21212: { status: 400, message: "The 'From' number is not a valid phone number, shortcode, or alphanumeric sender ID." },
  21213: { status: 400, message: "No 'From' number is specified" },
  21602: { status: 400, message: 'Message body is required.' },
  21603: { status: 400, message: "A 'From' phone number is required." },
  21604: { status: 400, message: "A 'To' phone number is required." },
  21617: { status: 400, message: 'The concatenated message body exceeds the 1600 character limit.' },
  32018: { status: 400, message: 'Twiml size exceeded maximum allowed value of 4000 characters' },
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
  const calls: FakeCall[] = [];
  const requests: TwilioFakeRequest[] = [];
  const faults: TwilioFault[] = [];
  const listeners = new Listeners<TwilioFakeChange>();
  const messagesPath = `/2010-04-01/Accounts/${accountSid}/Messages.json`;
  const callsPath = `/2010-04-01/Accounts/${accountSid}/Calls.json`;

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
      const [path = '/', query = ''] = (req.url ?? '/').split('?');
      const body = await readBody(req).catch(() => null);
      if (!authorized(req)) return sendError(res, path, 20003);
      if (path === callsPath && req.method === 'GET') {
        logRequest(path, 200, null);
        return sendJson(res, 200, callListJson(calls, accountSid, new URLSearchParams(query)));
      }
      if (path !== messagesPath && path !== callsPath) return sendError(res, path, 20404);
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
      if (fault?.kind === 'lost_answer') {
        // The answer is written into a destroyed socket: the client sees a network error.
        res.socket?.destroy();
      }

      const form = new URLSearchParams(body.toString('utf8'));
      if (path === callsPath) {
        const refused = callRequestError(form);
        if (refused !== null) return sendError(res, path, refused);
        const twiml = form.get('Twiml') ?? '';
        const call: FakeCall = {
          sid: `CA${randomBytes(16).toString('hex')}`,
          accountSid,
          to: form.get('To')!,
          from: form.get('From')!,
          twiml,
          status: 'queued',
          dateCreated: rfc2822(clock()),
          ...readTwiml(twiml),
        };
        calls.push(call);
        logRequest(path, 201, null);
        listeners.emit({ kind: 'call', call });
        return sendJson(res, 201, callJson(call));
      }
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
    calls,
    requests,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    onChange: (listener) => listeners.add(listener),
    reset() {
      messages.length = 0;
      calls.length = 0;
      requests.length = 0;
      faults.length = 0;
    },
    close: server.close,
  };
}
