import type { ServerResponse } from 'node:http';
import type { HandoffEvent } from '../../shared/schemas/handoff-view.js';
import type { HandoffConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import type { UserNames } from './user-names.js';
import { readFeed, readResolvedSince, readSnapshot } from './event-feed.js';
import { mayAct } from '../domain/may-act.js';
import { codeOf } from '../../shared/error-code.js';

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
  /** Display names of the users the views name (from Slack); views carry ids alone without it. */
  names?: UserNames;
  /** `: ping` comment interval; it also re-reads the log in case an append was not announced. */
  heartbeatMs?: number;
  /** A client whose unsent bytes pass this is cut (it resumes with Last-Event-ID when it can keep up). */
  maxBufferedBytes?: number;
  /** A `Last-Event-ID` more than this many events behind the head gets the current state, not a replay. */
  maxReplay?: number;
  /** Open streams per token: a further one ends the token's oldest (a desktop that reconnected). */
  maxStreamsPerToken?: number;
  /** Open streams in all: a further one is refused (503) until one closes. */
  maxStreams?: number;
  /** A snapshot stops after this many bytes (the rest of the state reaches the desktop as it changes). */
  maxSnapshotBytes?: number;
  /** A stream whose snapshot or catch-up has not drained for this long is cut. */
  stallMs?: number;
}

export const DEFAULT_MAX_REPLAY = 5_000;
export const STREAM_LIMITS = { perToken: 4, total: 256, snapshotBytes: 4 * 1024 * 1024, bufferedBytes: 1024 * 1024, stallMs: 60_000 } as const;
/** Rows read per page while a stream catches up: one page of views is what a stalled client can hold in memory. */
const PAGE = 20;

interface Stream {
  userId: string;
  tokenKey: string;
  /** False while the snapshot or replay is still being written: live events wait in the log meanwhile. */
  live: boolean;
}

/**
 * Fans the event log out to every open `GET /v1/events` response. All live clients are at the same
 * cursor (`head`), so each new event is read, filtered and serialised once. A new client first
 * catches up on its own, page by page and only as fast as it reads (backpressure), then joins
 * at the hub's head in the same tick as it sees it reached it. Only one pump runs at a time, and a
 * pump sends a batch and moves the head in one tick, so a catch-up ends exactly where the live stream
 * begins: nothing missed, nothing twice.
 */
export class SseHub {
  /** The last seq every live stream has been sent. */
  private head = 0;
  /** The head is read from the log before the first stream opens. */
  private readonly started: Promise<void>;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private readonly streams = new Map<ServerResponse, Stream>();
  private readonly timer: NodeJS.Timeout;
  private pumpScheduled = false;
  private closed = false;
  private readonly maxBufferedBytes: number;
  private readonly maxReplay: number;

  constructor(private readonly opts: SseHubOptions) {
    this.started = opts.store.events.lastSeq().then(
      (seq) => {
        this.head = seq;
      },
      (err: unknown) => opts.logger.error({ err_code: codeOf(err) ?? 'internal' }, 'event stream read failed'),
    );
    this.maxBufferedBytes = opts.maxBufferedBytes ?? STREAM_LIMITS.bufferedBytes;
    this.maxReplay = opts.maxReplay ?? DEFAULT_MAX_REPLAY;
    this.timer = setInterval(() => this.heartbeat(), opts.heartbeatMs ?? 15_000);
    this.timer.unref();
  }

  /** Open streams, live or still catching up. */
  get clientCount(): number {
    return this.streams.size;
  }

  /** False when the total cap is reached: the caller answers 503 and nothing was written. */
  hasRoom(): boolean {
    return this.streams.size < (this.opts.maxStreams ?? STREAM_LIMITS.total);
  }

  /**
   * Starts a stream on `res` (call hasRoom() first). With a cursor, replays the relevant events after
   * it; without one (or one from the future, e.g. a rebuilt database), sends the current unresolved
   * desktop-relevant handoffs, the last of them carrying the head as its id so a reconnect resumes
   * after the snapshot.
   *
   * A cursor more than `maxReplay` events behind (a laptop asleep over a busy weekend, or `0` on a big
   * log) is not replayed: it gets the snapshot plus the latest event of each handoff resolved since the
   * cursor that it may still show as open. Every event carries its handoff's current view and the
   * desktop mirrors views, so this leaves it in the same state a full replay would.
   */
  open(res: ServerResponse, cursor: number | null, userId: string, tokenKey: string = userId): void {
    this.evictOldestOf(tokenKey);
    this.streams.set(res, { userId, tokenKey, live: false });
    res.on('close', () => this.streams.delete(res));
    res.writeHead(200, SSE_HEADERS);
    res.write(': connected\n\n');
    const catchUp = async (): Promise<number | null> => {
      await this.started;
      await this.pump();
      const head = this.head;
      return cursor === null || cursor > head || head - cursor > this.maxReplay ? this.writeState(res, cursor, head, userId) : this.replay(res, cursor, userId);
    };
    catchUp().catch((err: unknown) => {
      this.opts.logger.error({ err_code: codeOf(err) ?? 'internal' }, 'event stream catch-up failed');
      this.drop(res);
    });
  }

  /** The snapshot (paged, with backpressure, bounded in bytes), then the events since it. */
  private async writeState(res: ServerResponse, cursor: number | null, head: number, userId: string): Promise<number | null> {
    const { store, config, logger } = this.opts;
    const resolved = cursor === null || cursor > head ? [] : (await readResolvedSince(store, config, cursor, head, undefined, this.opts.names)).filter((e) => this.visible(e, userId));
    const maxBytes = this.opts.maxSnapshotBytes ?? STREAM_LIMITS.snapshotBytes;
    let bytes = 0;
    let after = 0;
    let pending: HandoffEvent | null = null;
    const emit = async (e: HandoffEvent): Promise<boolean> => {
      // Each frame is written once the next is known, so the last one can carry the head as its id.
      const prev = pending;
      pending = e;
      if (!prev) return true;
      const frame = sseFrame(prev);
      bytes += Buffer.byteLength(frame);
      return this.write(res, frame);
    };
    let truncated = false;
    outer: for (;;) {
      const page = await readSnapshot(store, config, head, PAGE, after, this.opts.names);
      for (const e of page) {
        while (resolved.length > 0 && resolved[0]!.seq < e.seq) if (!(await emit(resolved.shift()!))) return null;
        if (this.visible(e, userId) && !(await emit(e))) return null;
        if (bytes > maxBytes) {
          truncated = true;
          break outer;
        }
      }
      if (page.length < PAGE) break;
      after = page.at(-1)!.seq;
    }
    if (!truncated) for (const e of resolved) if (!(await emit(e))) return null;
    if (truncated) logger.warn({ bytes, max_snapshot_bytes: maxBytes }, 'event stream snapshot truncated');
    const last: HandoffEvent | null = pending;
    if (last && !(await this.write(res, sseFrame(last, head)))) return null;
    return this.replay(res, head, userId);
  }

  /** Writes the relevant events after `at` up to the hub's head, following the head as it moves. */
  private async replay(res: ServerResponse, from: number, userId: string): Promise<number | null> {
    let at = from;
    while (at < this.head) {
      const target = this.head;
      const batch = await readFeed(this.opts.store, this.opts.config, at, PAGE, this.opts.names);
      for (const e of batch.events) if (e.seq <= target && this.visible(e, userId) && !(await this.write(res, sseFrame(e)))) return null;
      at = batch.done ? target : Math.min(batch.scannedTo, target);
    }
    // In the tick that saw the hub's head: the next pump batch sends this stream what comes after it.
    const stream = this.streams.get(res);
    if (stream) stream.live = true;
    return at;
  }

  /** Writes one frame; when the client's buffer is full, waits for it to drain. False when the stream is gone. */
  private async write(res: ServerResponse, frame: string): Promise<boolean> {
    if (!this.streams.has(res) || res.destroyed) return false;
    if (res.write(frame)) return true;
    const stallMs = this.opts.stallMs ?? STREAM_LIMITS.stallMs;
    const drained = await new Promise<boolean>((resolve) => {
      const done = (ok: boolean): void => {
        clearTimeout(timer);
        res.off('drain', onDrain);
        res.off('close', onClose);
        resolve(ok);
      };
      const onDrain = (): void => done(true);
      const onClose = (): void => done(false);
      const timer = setTimeout(() => done(false), stallMs);
      res.once('drain', onDrain);
      res.once('close', onClose);
    });
    if (!drained) this.drop(res);
    return drained && this.streams.has(res);
  }

  private evictOldestOf(tokenKey: string): void {
    const max = this.opts.maxStreamsPerToken ?? STREAM_LIMITS.perToken;
    const mine = [...this.streams].filter(([, s]) => s.tokenKey === tokenKey);
    for (const [res] of mine.slice(0, Math.max(0, mine.length - max + 1))) this.drop(res);
  }

  private drop(res: ServerResponse): void {
    this.streams.delete(res);
    res.destroy();
  }

  /** Called on every 'appended': coalesces a burst of commits into one read. */
  schedulePump(): void {
    if (this.pumpScheduled || this.closed) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      void this.pump();
    });
  }

  /**
   * Reads every event after `head` and writes the relevant ones to all live clients. One pump at a
   * time: a call during a pump makes it read once more, and resolves when that is done.
   */
  pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.pumpAgain = false;
        await this.pumpOnce();
      } while (this.pumpAgain && !this.closed);
    })().finally(() => {
      this.pumping = null;
    });
    return this.pumping;
  }

  private async pumpOnce(): Promise<void> {
    if (this.closed) return;
    try {
      if (this.streams.size === 0) {
        // Nobody to send to: move the cursor without reading events (a joining client replays itself).
        this.head = await this.opts.store.events.lastSeq();
        return;
      }
      for (;;) {
        const batch = await readFeed(this.opts.store, this.opts.config, this.head, undefined, this.opts.names);
        // Sent and the head moved in one tick: a stream turning live sees either both or neither.
        for (const e of batch.events) this.broadcast(sseFrame(e), (userId) => this.visible(e, userId));
        this.head = batch.scannedTo;
        if (batch.done) break;
      }
    } catch (err) {
      this.opts.logger.error({ err_code: codeOf(err) ?? 'internal' }, 'event stream read failed');
    }
  }

  /** Ends the open streams of a user whose tokens were revoked (`/handoff desktop revoke`). */
  disconnectUser(userId: string): number {
    let n = 0;
    for (const [res, s] of this.streams) {
      if (s.userId !== userId) continue;
      this.streams.delete(res);
      res.end();
      n++;
    }
    return n;
  }

  close(): void {
    this.closed = true;
    clearInterval(this.timer);
    for (const res of this.streams.keys()) res.end();
    this.streams.clear();
  }

  private visible(e: HandoffEvent, userId: string): boolean {
    // The desktop has no channel membership to go by: a restricted workflow reaches its allowed users only, a retired one those `retired_workflows_visible_to` names.
    return mayAct(this.opts.config, e.handoff.workflow_id, userId);
  }

  private heartbeat(): void {
    void this.pump().then(() => this.broadcast(': ping\n\n', () => true, true));
  }

  /** To live streams; a comment (`anyStream`) also reaches streams still catching up, as a keep-alive. */
  private broadcast(text: string, to: (userId: string) => boolean, anyStream = false): void {
    for (const [res, s] of this.streams) {
      if (res.destroyed || res.writableEnded) {
        this.streams.delete(res);
        continue;
      }
      if ((!s.live && !anyStream) || !to(s.userId)) continue;
      if (!s.live && res.writableLength > 0) continue;
      res.write(text);
      if (res.writableLength > this.maxBufferedBytes) {
        this.opts.logger.warn({ buffered: res.writableLength }, 'event stream client too slow; disconnected');
        this.drop(res);
      }
    }
  }
}
