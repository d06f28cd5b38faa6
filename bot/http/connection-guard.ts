import { readFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../observability/logger.js';

export interface ConnectionLimits {
  /** Open connections held at most; the rest of the process's file handles stay for the database. */
  maxConnections: number;
  /** Time a client has to send its request headers. */
  headersTimeoutMs: number;
  /** Time a client has to send its whole request, body included (Node answers 408 and closes). */
  requestTimeoutMs: number;
}

/** File handles kept out of the connection cap: SQLite (database, WAL, shared memory, both connections), logs, DNS, Slack. */
export const FD_RESERVE_MIN = 256;
const MAX_CONNECTIONS_CEILING = 4096;

/** The soft RLIMIT_NOFILE of this process (Linux), or null where it cannot be read. */
export function openFileLimit(limitsText?: string): number | null {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const m = /^Max open files\s+(\d+|unlimited)/m.exec(text);
  if (!m) return null;
  return m[1] === 'unlimited' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

/** The connection cap for a file-handle limit: a quarter (at least FD_RESERVE_MIN) stays in reserve. */
export function connectionCapFor(fdLimit: number | null): number {
  if (fdLimit === null || !Number.isFinite(fdLimit)) return fdLimit === null ? 1024 - FD_RESERVE_MIN : MAX_CONNECTIONS_CEILING;
  const reserve = Math.max(FD_RESERVE_MIN, Math.ceil(fdLimit / 4));
  return Math.max(16, Math.min(MAX_CONNECTIONS_CEILING, fdLimit - reserve));
}

/** Connections a held request may never take: intake, Slack and health checks always find room beside the waiting callers. */
export const HELD_HEADROOM = 64;

/**
 * How many live callers' transfer requests may be held at once (claim-to-connect): `configured`
 * (`max_waiting_callers`), by default half the connection cap, and never so many that fewer than
 * HELD_HEADROOM connections stay for everything else. A held request is being served, so the cap
 * never evicts it: without this budget, waiting callers could fill every connection.
 */
export function heldBudgetFor(maxConnections: number, configured?: number): number {
  const ceiling = Math.max(1, maxConnections - HELD_HEADROOM);
  return Math.max(1, Math.min(configured ?? Math.floor(maxConnections / 2), ceiling));
}

export function defaultConnectionLimits(): ConnectionLimits {
  return { maxConnections: connectionCapFor(openFileLimit()), headersTimeoutMs: 10_000, requestTimeoutMs: 20_000 };
}

interface Tracked {
  req: IncomingMessage | null;
  res: ServerResponse | null;
}

/**
 * Caps the server's open connections. At the cap, a new connection takes the place of the oldest one
 * that is not being served: a connection still sending its request (a slow upload) or idle between
 * requests. A request that has fully arrived and an open event stream are never cut for it. So a flood
 * of stalled uploads can neither exhaust file handles nor keep a valid webhook out. Drops are counted
 * and logged once per `logEveryMs`, not once each.
 */
export function guardConnections(server: Server, limits: ConnectionLimits, logger: Logger, logEveryMs = 10_000): { readonly open: number; readonly evicted: number } {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  const sockets = new Map<Socket, Tracked>();
  let evicted = 0;
  let unlogged = 0;
  let lastLog = 0;

  const noteDrop = (): void => {
    evicted++;
    unlogged++;
    const now = Date.now();
    if (now - lastLog < logEveryMs) return;
    lastLog = now;
    logger.warn({ dropped: unlogged, open: sockets.size, max_connections: limits.maxConnections }, 'connection cap reached; dropped idle or incomplete connections');
    unlogged = 0;
  };

  const evictable = (t: Tracked): boolean => t.req === null || !t.req.complete;

  server.on('connection', (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) {
      let victim: Socket | null = null;
      for (const [s, t] of sockets) {
        if (evictable(t)) {
          victim = s;
          break;
        }
      }
      noteDrop();
      if (!victim) {
        socket.destroy();
        return;
      }
      sockets.delete(victim);
      victim.destroy();
    }
    sockets.set(socket, { req: null, res: null });
    socket.once('close', () => sockets.delete(socket));
  });

  // Before the app's handler, which may finish a response synchronously.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const t = sockets.get(req.socket);
    if (!t) return;
    t.req = req;
    t.res = res;
    res.once('finish', () => {
      if (t.res !== res) return;
      t.req = null;
      t.res = null;
    });
  });

  return {
    get open() {
      return sockets.size;
    },
    get evicted() {
      return evicted;
    },
  };
}
