/**
 * Follows `GET /v1/events` (SSE): reconnects with exponential backoff and jitter,
 * resumes with `Last-Event-ID` from the last event the consumer accepted, and stops
 * for good on 401. Runs on global fetch, so it works under Node and in Electron's main.
 */
import { handoffEventSchema, type HandoffEvent } from '../../shared/schemas/handoff-view.js';
import { createSseParser } from './sse-parser.js';
import { backoffMs } from '../../shared/backoff.js';

export type StreamState = 'connecting' | 'online' | 'offline' | 'unauthorized' | 'stopped';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 1_000, maxMs: 60_000, factor: 2 };

export interface InvalidEventInfo {
  id: string | null;
  /** A short code, never the payload (it may hold caller data). */
  reason: 'invalid_json' | 'invalid_shape';
}

export interface EventStreamOptions {
  baseUrl: string;
  getToken: () => string | null;
  lastEventId?: string | null;
  /** Called per valid `handoff` event; if it throws, the id is not advanced and the stream reconnects. */
  onEvent: (event: HandoffEvent, id: string) => void;
  onStateChange?: (state: StreamState) => void;
  onInvalidEvent?: (info: InvalidEventInfo) => void;
  fetch?: typeof fetch;
  timers?: Timers;
  random?: () => number;
  backoff?: Partial<BackoffOptions>;
  /** No bytes (not even a `: ping`) for this long means a dead connection. 0 disables. */
  idleTimeoutMs?: number;
}

export interface EventStream {
  start(): void;
  stop(): void;
  /**
   * Drops the current connection (or the pending retry) and connects again at once, with
   * the backoff reset: after sleep or a network change the old socket is usually dead but
   * would only be noticed by the idle watchdog. Does nothing when stopped or unauthorized.
   */
  reconnect(): void;
  readonly state: StreamState;
  readonly lastEventId: string | null;
}

export function createEventStream(opts: EventStreamOptions): EventStream {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const timers = opts.timers ?? realTimers;
  const random = opts.random ?? Math.random;
  const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...opts.backoff };
  const idleTimeoutMs = opts.idleTimeoutMs ?? 45_000;
  const url = new URL('v1/events', opts.baseUrl.endsWith('/') ? opts.baseUrl : `${opts.baseUrl}/`).toString();

  let state: StreamState = 'stopped';
  let lastEventId: string | null = opts.lastEventId ?? null;
  let attempt = 0;
  let generation = 0;
  let retryTimer: unknown = null;
  let controller: AbortController | null = null;

  function setState(next: StreamState): void {
    if (next === state) return;
    state = next;
    opts.onStateChange?.(next);
  }

  function scheduleRetry(gen: number): void {
    if (gen !== generation) return;
    setState('offline');
    const delay = backoffMs(attempt, { baseMs: backoff.initialMs, capMs: backoff.maxMs, factor: backoff.factor }, random);
    attempt++;
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      if (gen === generation) void connect(gen);
    }, delay);
  }

  async function connect(gen: number): Promise<void> {
    const token = opts.getToken();
    if (!token) {
      setState('unauthorized');
      return;
    }
    setState('connecting');
    const ac = new AbortController();
    controller = ac;
    let idleTimer: unknown = null;
    const armIdle = (): void => {
      if (idleTimeoutMs <= 0) return;
      if (idleTimer !== null) timers.clearTimeout(idleTimer);
      idleTimer = timers.setTimeout(() => ac.abort(), idleTimeoutMs);
    };
    try {
      const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' };
      if (lastEventId !== null) headers['Last-Event-ID'] = lastEventId;
      armIdle();
      const res = await doFetch(url, { headers, signal: ac.signal, cache: 'no-store' });
      if (gen !== generation) return;
      if (res.status === 401) {
        await res.body?.cancel().catch(() => undefined);
        generation++;
        setState('unauthorized');
        return;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel().catch(() => undefined);
        return scheduleRetry(gen);
      }
      setState('online');
      const parser = createSseParser(lastEventId);
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (gen !== generation) return;
        if (done) break;
        armIdle();
        attempt = 0; // the server is talking to us: the next drop starts backoff afresh
        for (const msg of parser.push(decoder.decode(value, { stream: true }))) {
          if (msg.event !== 'handoff') continue;
          let json: unknown;
          try {
            json = JSON.parse(msg.data);
          } catch {
            opts.onInvalidEvent?.({ id: msg.id, reason: 'invalid_json' });
            if (msg.id !== null) lastEventId = msg.id;
            continue;
          }
          const parsed = handoffEventSchema.safeParse(json);
          if (!parsed.success) {
            opts.onInvalidEvent?.({ id: msg.id, reason: 'invalid_shape' });
            if (msg.id !== null) lastEventId = msg.id;
            continue;
          }
          const id = msg.id ?? String(parsed.data.seq);
          opts.onEvent(parsed.data, id); // throws -> caught below, id not advanced
          lastEventId = id;
        }
      }
      reader.releaseLock();
      ac.abort();
      scheduleRetry(gen);
    } catch {
      ac.abort();
      if (gen === generation) scheduleRetry(gen);
    } finally {
      if (idleTimer !== null) timers.clearTimeout(idleTimer);
      if (controller === ac) controller = null;
    }
  }

  return {
    get state() {
      return state;
    },
    get lastEventId() {
      return lastEventId;
    },
    start() {
      if (state !== 'stopped' && state !== 'unauthorized') return;
      generation++;
      attempt = 0;
      void connect(generation);
    },
    reconnect() {
      if (state === 'stopped' || state === 'unauthorized') return;
      generation++;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      controller?.abort();
      controller = null;
      attempt = 0;
      void connect(generation);
    },
    stop() {
      generation++;
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      retryTimer = null;
      controller?.abort();
      controller = null;
      setState('stopped');
    },
  };
}
