import http from 'node:http';
import type { BotDeps } from '../../bot/app.js';

type CallbackGuard = NonNullable<BotDeps['callbackGuard']>;

/** Every outgoing callback connection the guard opened: where the socket was told to go. */
export interface OpenedRequest {
  host: string;
  port: number | undefined;
  path: string;
}

/**
 * The callback guard's seams for a test: an optional resolver the test controls, and a request
 * function that records every connection in `opened` before making it.
 */
export function recordingCallbackGuard(resolve?: CallbackGuard['resolve']): { callbackGuard: CallbackGuard; opened: OpenedRequest[] } {
  const opened: OpenedRequest[] = [];
  const callbackGuard: CallbackGuard = {
    ...(resolve ? { resolve } : {}),
    request: (o) => {
      opened.push({ host: String(o.host), port: o.port === undefined || o.port === null ? undefined : Number(o.port), path: String(o.path) });
      return http.request(o);
    },
  };
  return { callbackGuard, opened };
}
