import type http from 'node:http';
import { decodeWebhookSecret, verifyWebhook } from '../../shared/standard-webhooks.js';
import { Listeners } from './listeners.js';
import { listenLoopback, readBody } from './loopback-server.js';

/** What the receiver answers instead of 200 for the next calls. */
export type ReceiverFault =
  | { kind: 'status'; status: number }
  | { kind: 'hang' }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  | { kind: 'large_body'; bytes: number };

export interface ReceivedCallback {
  seq: number;
  at: number;
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  /** Answer given (null while hanging). */
  answeredStatus: number | null;
  /** Signature check against the configured secret; null when the receiver has none. */
  signatureValid: boolean | null;
}

export interface CallbackReceiverOptions {
  port?: number;
  host?: string;
  /** When set, each request's Standard Webhooks signature is checked and recorded. */
  secret?: string;
  clock?: () => number;
}

export interface CallbackReceiver {
  url: string;
  port: number;
  readonly received: readonly ReceivedCallback[];
  /** Answer `fault` to the next `count` POSTs, then 200 again. */
  failNext(count: number, fault: ReceiverFault): void;
  onChange(listener: (entry: ReceivedCallback) => void): () => void;
  reset(): void;
  close(): Promise<void>;
}

/** A loopback status-callback receiver for tests and the sandbox page. Records every POST. */
export async function startCallbackReceiver(options: CallbackReceiverOptions = {}): Promise<CallbackReceiver> {
  const clock = options.clock ?? Date.now;
  const key = options.secret ? decodeWebhookSecret(options.secret) : null;
  const received: ReceivedCallback[] = [];
  const faults: ReceiverFault[] = [];
  const listeners = new Listeners<ReceivedCallback>();
  let seq = 0;

  const record = (entry: ReceivedCallback): void => {
    received.push(entry);
    listeners.emit(entry);
  };

  const server = await listenLoopback(
    async (req, res) => {
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST' }).end();
        return;
      }
      let raw: Buffer;
      try {
        raw = await readBody(req);
      } catch {
        res.writeHead(413).end();
        return;
      }
      const fault = faults.shift();
      const entry: ReceivedCallback = {
        seq: ++seq,
        at: clock(),
        method: req.method,
        path: req.url ?? '/',
        headers: req.headers,
        rawBody: raw.toString('utf8'),
        answeredStatus: null,
        signatureValid: key
          ? verifyWebhook({
              keys: [key],
              id: header(req, 'webhook-id'),
              timestamp: header(req, 'webhook-timestamp'),
              signature: header(req, 'webhook-signature'),
              body: raw,
              nowSeconds: Math.floor(clock() / 1000),
            }) === null
          : null,
      };
      if (fault?.kind === 'hang') {
        record(entry);
        return; // never answered; close() drops the socket
      }
      if (fault?.kind === 'redirect') {
        entry.answeredStatus = fault.status ?? 302;
        record(entry);
        res.writeHead(entry.answeredStatus, { location: fault.location }).end();
        return;
      }
      if (fault?.kind === 'large_body') {
        entry.answeredStatus = 200;
        record(entry);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(Buffer.alloc(fault.bytes, 'x'));
        return;
      }
      entry.answeredStatus = fault?.kind === 'status' ? fault.status : 200;
      record(entry);
      res.writeHead(entry.answeredStatus, { 'content-type': 'application/json' }).end('{"received":true}');
    },
    options.port ?? 0,
    options.host,
  );

  return {
    url: server.url,
    port: server.port,
    received,
    failNext(count, fault) {
      for (let i = 0; i < count; i++) faults.push(fault);
    },
    onChange: (listener) => listeners.add(listener),
    reset() {
      received.length = 0;
      faults.length = 0;
    },
    close: server.close,
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
