import type { ServerResponse } from 'node:http';
import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import type { HandoffConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { readFeed, readResolvedSince, readSnapshot } from './event-feed.js';
import { mayAct } from '../domain/may-act.js';

/** One SSE message; `id` is the resume cursor (the event's seq, except at the end of a snapshot). */
export function sseFrame(e: HandoffEvent, id: number = e.seq): string {
  return `id: ${id}\nevent: handoff\ndata: ${JSON.stringify(e)}\n\n`;
}

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store',
  connection: 'keep-alive',
  // nginx and similar proxies would otherwise buffer the stream.
  'x-accel-buffering': 'no',
} as const;

export interface SseHubOptions {
  store: Store;
  config: HandoffConfig;
  logger: Logger;
  /** `: ping` comment interval; it also re-reads the log in case an append was not announced. */
  heartbeatMs?: number;
  /** A client whose unsent bytes pass this is cut (it resumes with Last-Event-ID when it can keep up). */
  maxBufferedBytes?: number;
  /** A `Last-Event-ID` more than this many events behind the head gets the current state, not a replay. */
  maxReplay?: number;
}

export const DEFAULT_MAX_REPLAY = 5_000;

/**
 * Fans the event log out to every open `GET /v1/events` response. All clients that joined are at the
 * same cursor (`head`), so each new event is read, filtered and serialised once. Joining is
 * synchronous with the log (SQLite reads are synchronous), so a client's replay ends exactly where
 * the live stream begins: nothing missed, nothing twice.
 */
export class SseHub {
  private head: number;
  /** Each open stream and the Slack user its token acts as. */
  private readonly clients = new Map<ServerResponse, string>();
  private readonly timer: NodeJS.Timeout;
  private pumpScheduled = false;
  private closed = false;
  private readonly maxBufferedBytes: number;
  private readonly maxReplay: number;

  constructor(private readonly opts: SseHubOptions) {
    this.head = opts.store.events.lastSeq();
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.maxReplay = opts.maxReplay ?? DEFAULT_MAX_REPLAY;
    this.timer = setInterval(() => this.heartbeat(), opts.heartbeatMs ?? 15_000);
    this.timer.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /**
   * Starts a stream on `res`. With a cursor, replays the relevant events after it; without one (or one
   * from the future, e.g. a rebuilt database), sends the current unresolved desktop-relevant handoffs,
   * the last of them carrying the head as its id so a reconnect resumes after the snapshot.
   *
   * A cursor more than `maxReplay` events behind (a laptop asleep over a busy weekend, or `0` on a big
   * log) is not replayed: that would write the whole log here, synchronously, with no backpressure.
   * It gets the snapshot plus the latest event of each handoff resolved since the cursor that it may
   * still show as open. Every event carries its handoff's current view and the desktop mirrors views,
   * so this leaves it in the same state a full replay would, in one frame per handoff.
   */
  open(res: ServerResponse, cursor: number | null, userId: string): void {
    this.pump();
    res.writeHead(200, SSE_HEADERS);
    res.write(': connected\n\n');
    const head = this.head;
    if (cursor === null || cursor > head || head - cursor > this.maxReplay) {
      const { store, config } = this.opts;
      const resolved = cursor === null || cursor > head ? [] : readResolvedSince(store, config, cursor, head);
      const state = [...readSnapshot(store, config, head), ...resolved]
        .sort((a, b) => a.seq - b.seq)
        .filter((e) => this.visible(e, userId));
      state.forEach((e, i) => res.write(sseFrame(e, i === state.length - 1 ? head : e.seq)));
    } else {
      let at = cursor;
      while (at < head) {
        const batch = readFeed(this.opts.store, this.opts.config, at);
        for (const e of batch.events) if (e.seq <= head && this.visible(e, userId)) res.write(sseFrame(e));
        if (batch.done || batch.scannedTo === at) break;
        at = batch.scannedTo;
      }
    }
    this.clients.set(res, userId);
    res.on('close', () => this.clients.delete(res));
  }

  /** Called on every 'appended': coalesces a burst of commits into one read. */
  schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Reads every event after `head` and writes the relevant ones to all clients. */
  pump(): void {
    if (this.closed) return;
    try {
      if (this.clients.size === 0) {
        // Nobody to send to: move the cursor without reading events (a joining client replays itself).
        this.head = this.opts.store.events.lastSeq();
        return;
      }
      for (;;) {
        const batch = readFeed(this.opts.store, this.opts.config, this.head);
        for (const e of batch.events) this.broadcast(sseFrame(e), (userId) => this.visible(e, userId));
        this.head = batch.scannedTo;
        if (batch.done) break;
      }
    } catch (err) {
      this.opts.logger.error({ err_code: (err as { code?: string }).code ?? 'internal' }, 'event stream read failed');
    }
  }

  /** Ends the open streams of a user whose tokens were revoked (`/handoff desktop revoke`). */
  disconnectUser(userId: string): number {
    let n = 0;
    for (const [res, owner] of this.clients) {
      if (owner !== userId) continue;
      this.clients.delete(res);
      res.end();
      n++;
    }
    return n;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const res of this.clients.keys()) res.end();
    this.clients.clear();
  }

  private visible(e: HandoffEvent, userId: string): boolean {
    // The desktop has no channel membership to go by: a restricted workflow reaches its allowed users only.
    return mayAct(this.opts.config.workflows.get(e.handoff.workflow_id), userId);
  }

  private heartbeat(): void {
    this.pump();
    this.broadcast(': ping\n\n');
  }

  private broadcast(text: string, to: (userId: string) => boolean = () => true): void {
    for (const [res, userId] of this.clients) {
      if (res.destroyed || res.writableEnded) {
        this.clients.delete(res);
        continue;
      }
      if (!to(userId)) continue;
      res.write(text);
      if (res.writableLength > this.maxBufferedBytes) {
        this.opts.logger.warn({ buffered: res.writableLength }, 'event stream client too slow; disconnected');
        this.clients.delete(res);
        res.destroy();
      }
    }
  }
}
