import pg from 'pg';
import type { CommitNotice, CommitNotifier } from '../notifier.js';
import { clientConfig, LIVENESS_NAMESPACE } from './pool.js';

/** The NOTIFY channel every process's commits are announced on. */
export const COMMITS_CHANNEL = 'handoff_commits';

/** PostgreSQL refuses NOTIFY payloads from 8000 bytes; a notice never needs its handoff ids to be heard. */
const MAX_PAYLOAD = 7_000;

interface Wire {
  o: string;
  h: readonly string[];
  e: boolean;
  p: readonly string[] | null;
  d: readonly number[];
  c: boolean;
}

/** The payload a transaction NOTIFYs with, so every other process hears what it committed. */
export function noticePayload(origin: string, n: Partial<CommitNotice>): string {
  const wire: Wire = { o: origin, h: n.handoffIds ?? [], e: n.events ?? false, p: n.outbox?.paceKeys ?? null, d: n.dueAt ?? [], c: n.dueChanged ?? false };
  let text = JSON.stringify(wire);
  if (text.length > MAX_PAYLOAD) text = JSON.stringify({ ...wire, h: [], p: wire.p && wire.p.length > 50 ? [] : wire.p });
  if (text.length > MAX_PAYLOAD) text = JSON.stringify({ ...wire, h: [], p: wire.p ? [] : null, d: [], c: true });
  return text;
}

function parseNotice(payload: string): (Partial<CommitNotice> & { origin: string }) | null {
  try {
    const w = JSON.parse(payload) as Wire;
    return { origin: w.o, handoffIds: w.h, events: w.e, outbox: w.p ? { paceKeys: w.p } : null, dueAt: w.d, dueChanged: w.c };
  } catch {
    return null;
  }
}

export interface CommitBridgeOptions {
  url: string;
  /** This process's notices arrive directly; its own NOTIFYs are skipped. */
  origin: string;
  /** Held as a session advisory lock while this process lives: its outbox leases are valid while it is held. */
  ownerId: number;
  notifier: CommitNotifier;
  /** Pace keys with pending rows, announced after a reconnect (rows committed meanwhile were not heard). */
  pendingPaceKeys: () => Promise<string[]>;
  onDisconnect?: (err: Error | null) => void;
  onReconnect?: () => void;
  retryMs?: number;
}

/**
 * One dedicated connection per process: LISTENs for other processes' commits and republishes them on
 * the local `store.commits`, so the outbox worker, the SSE hub, the scheduler and the connect hub hear
 * every process's commits (PostgreSQL delivers notifications in commit order, after the commit). The
 * same session holds this process's liveness lock. After losing the server it reconnects by itself and
 * announces "anything may have changed", since commits made meanwhile were not heard.
 */
export class CommitBridge {
  private client: pg.Client | null = null;
  private closed = false;
  private retry: NodeJS.Timeout | null = null;

  constructor(private readonly o: CommitBridgeOptions) {}

  /** Connects once; rejects when the server cannot be reached (start-up fails). */
  async start(): Promise<void> {
    await this.connect();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const c = this.client;
    this.client = null;
    await c?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(clientConfig(this.o.url));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (msg) => {
      if (msg.channel !== COMMITS_CHANNEL || !msg.payload) return;
      const n = parseNotice(msg.payload);
      if (!n || n.origin === this.o.origin) return;
      const { origin: _origin, ...notice } = n;
      this.o.notifier.publish(notice);
    });
    try {
      await client.connect();
      const locked = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [LIVENESS_NAMESPACE, this.o.ownerId]);
      if (!locked.rows[0]?.ok) throw new Error('liveness lock already held');
      await client.query(`LISTEN ${COMMITS_CHANNEL}`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client, err: Error | null): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    this.o.onDisconnect?.(err);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect().then(
        () => this.caughtUp(),
        () => this.scheduleReconnect(),
      );
    }, this.o.retryMs ?? 500);
    this.retry.unref();
  }

  private caughtUp(): void {
    if (this.closed) return;
    this.o.onReconnect?.();
    void this.o.pendingPaceKeys().then(
      (keys) => this.o.notifier.publish({ events: true, outbox: { paceKeys: keys }, dueChanged: true }),
      () => this.o.notifier.publish({ events: true, outbox: { paceKeys: [] }, dueChanged: true }),
    );
  }
}
