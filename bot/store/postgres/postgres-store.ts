import { PgDetailsLinks } from './details-links.js';
import { randomInt, randomUUID } from 'node:crypto';
import type pg from 'pg';
import { codeOf } from '../../../shared/error-code.js';
import { withStoreErrors } from '../error-edge.js';
import { CommitNotifier } from '../notifier.js';
import type { HandoffRecord, NewOutboxItem } from '../records.js';
import type { AcceptedHandoff, Changed, ConnectRepository, FollowUps, HandoffsRepository, RetentionRepository, Store } from '../store.js';
import { acceptedHandoffOps } from '../write-ops.js';
import { AcceptBatcher } from './accept-batcher.js';
import { CommitBridge } from './commit-bridge.js';
import { PgStormDigests, PgWeeklyDigests } from './digests.js';
import { lockEventOrder, PgEvents } from './events.js';
import { PgHandoffRows } from './handoff-rows.js';
import { migratePostgres } from './migrate.js';
import { PgOutbox } from './outbox.js';
import { pgStoreError } from './pg-errors.js';
import { createPool, describeUrl } from './pool.js';
import { PgStatsQueries, PgStatusQueries } from './queries.js';
import { PgReminders } from './reminders.js';
import { eraseExpiredRows } from './retention.js';
import { PgCallBacks, PgConnectRows, PgDesktopAuth, PgIdempotency, PgNotes, PgProviderCalls, PgSlackMessages } from './small-repos.js';
import { transactor, type Announce, type Transact } from './transact.js';
import { runWriteOp } from './write-ops.js';

export interface PostgresStoreOptions {
  url: string;
  /** Connections in this process's pool. */
  poolSize?: number;
  /** Connection state changes, for the log (never the URL's secrets). */
  onConnection?: (state: 'lost' | 'restored', errCode: string | null) => void;
}

/** The database could not be reached or set up at start: one line for `npm start`, no secret in it. */
export class DatabaseUnavailableError extends Error {
  constructor(url: string, cause: unknown) {
    const code = codeOf(cause) ?? (cause as Error | null)?.message ?? 'unknown error';
    super(`cannot reach the database at ${describeUrl(url)} (${code})`);
    this.name = 'DatabaseUnavailableError';
  }
}

function paceKeysOf(items: readonly NewOutboxItem[]): string[] {
  return [...new Set(items.flatMap((i) => (i.paceKey ? [i.paceKey] : [])))];
}

/**
 * The store on PostgreSQL, for several bot processes on one database (docs/contract/postgresql.md). Each state
 * change is one transaction: the conditional UPDATE, its outbox rows, its events (under the event-order
 * lock, so seq order is commit order) and a NOTIFY that wakes every other process. Nothing is cached in
 * the process: any process may serve any request.
 */
export class PostgresStore implements Store {
  readonly commits = new CommitNotifier();
  readonly handoffs: HandoffsRepository;
  readonly events: PgEvents;
  readonly outbox: PgOutbox;
  readonly idempotency: PgIdempotency;
  readonly notes: PgNotes;
  readonly slackMessages: PgSlackMessages;
  readonly desktopAuth: PgDesktopAuth;
  readonly status: PgStatusQueries;
  readonly retention: RetentionRepository;
  readonly providerCalls: PgProviderCalls;
  readonly callBacks: PgCallBacks;
  readonly stats: PgStatsQueries;
  readonly connect: ConnectRepository;
  readonly stormDigests: PgStormDigests;
  readonly weeklyDigests: PgWeeklyDigests;
  readonly reminders: PgReminders;
  readonly detailsLinks: PgDetailsLinks;
  /** Identifies this process's outbox leases; its liveness lock is held while the process lives. */
  readonly ownerId = randomInt(1, 0x7fffffff); // a positive int4: the advisory lock key and the lease_owner column
  private readonly origin = randomUUID();
  private readonly rows = new PgHandoffRows();
  private readonly transact: Transact;
  private readonly bridge: CommitBridge;
  private readonly accepts = new AcceptBatcher<AcceptedHandoff>((batch) => this.commitAccepted(batch));

  private constructor(
    private readonly pool: pg.Pool,
    url: string,
    options: PostgresStoreOptions,
  ) {
    this.transact = transactor(pool, this.commits, this.origin);
    this.events = new PgEvents(pool);
    this.outbox = new PgOutbox(pool, this.ownerId);
    this.idempotency = new PgIdempotency(pool);
    this.notes = new PgNotes(pool);
    this.slackMessages = new PgSlackMessages(pool);
    this.desktopAuth = new PgDesktopAuth(pool);
    this.status = new PgStatusQueries(pool);
    this.providerCalls = new PgProviderCalls(pool);
    this.callBacks = new PgCallBacks(pool);
    this.stats = new PgStatsQueries(pool);
    this.stormDigests = new PgStormDigests(pool);
    this.weeklyDigests = new PgWeeklyDigests(pool);
    this.retention = this.retentionRepository();
    this.reminders = new PgReminders(pool, this.transact, this.outbox);
    this.detailsLinks = new PgDetailsLinks(this.transact, this.events);
    this.handoffs = this.handoffsRepository();
    this.connect = this.connectRepository(new PgConnectRows());
    this.bridge = new CommitBridge({
      url,
      origin: this.origin,
      ownerId: this.ownerId,
      notifier: this.commits,
      pendingPaceKeys: () => this.outbox.pendingPaceKeys(),
      onDisconnect: (err) => options.onConnection?.('lost', codeOf(err) ?? null),
      onReconnect: () => options.onConnection?.('restored', null),
    });
  }

  /** Connects, migrates (once across processes) and starts listening; a DatabaseUnavailableError when the server is not there. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = createPool({ url: options.url, max: options.poolSize, onIdleError: (err) => options.onConnection?.('lost', codeOf(err) ?? null) });
    let store: PostgresStore | null = null;
    try {
      await migratePostgres(pool);
      store = new PostgresStore(pool, options.url, options);
      await store.bridge.start();
      // What the bot calls rejects with StoreErrors only: SQLSTATEs and socket errors stay in here.
      return withStoreErrors(store, pgStoreError);
    } catch (err) {
      await store?.bridge.close();
      await pool.end().catch(() => undefined);
      throw new DatabaseUnavailableError(options.url, err);
    }
  }

  async accept(unit: AcceptedHandoff): Promise<void> {
    await this.accepts.submit(unit);
  }

  /** One transaction for a batch of accepted handoffs (AcceptBatcher); each unit's own error, or null. */
  private commitAccepted(batch: readonly AcceptedHandoff[]): Promise<(unknown | null)[]> {
    return this.transact(async (c, announce) => {
      const errors: (unknown | null)[] = [];
      const stored: AcceptedHandoff[] = [];
      const alone = batch.length === 1;
      for (const unit of batch) {
        const ops = acceptedHandoffOps(unit);
        if (!alone) await c.query('SAVEPOINT accepted_unit');
        try {
          // The idempotency key first: a second process racing on the same key waits here for the first
          // one's commit, then fails on the primary key before writing anything (intake then replays).
          for (const op of ops) if (op.stmt === 'putIdempotency') await runWriteOp(c, op);
          for (const op of ops) if (op.stmt !== 'putIdempotency' && op.stmt !== 'appendEvent') await runWriteOp(c, op);
          if (!alone) await c.query('RELEASE SAVEPOINT accepted_unit');
          errors.push(null);
          stored.push(unit);
        } catch (err) {
          if (alone) throw err;
          await c.query('ROLLBACK TO SAVEPOINT accepted_unit');
          errors.push(err);
        }
      }
      if (stored.length === 0) return errors;
      await lockEventOrder(c);
      for (const unit of stored) for (const op of acceptedHandoffOps(unit)) if (op.stmt === 'appendEvent') await runWriteOp(c, op);
      announce({
        handoffIds: stored.map((u) => u.handoff.id),
        events: true,
        outbox: { paceKeys: [...new Set(stored.flatMap((u) => paceKeysOf(u.outbox)))] },
        dueAt: stored.flatMap((u) => (u.handoff.escalateDueAt === null ? [] : [u.handoff.escalateDueAt])),
      });
      return errors;
    });
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    await this.bridge.close();
    await this.pool.end().catch(() => undefined);
  }

  /**
   * One state change: the conditional UPDATE, then (when it matched) the outbox rows, idempotency
   * record and events derived from the new record, and the NOTIFY, all committed together.
   */
  private async change(
    id: string,
    update: (c: pg.PoolClient) => Promise<{ handoff: HandoffRecord; noteId?: number; claimedFirst?: boolean } | null>,
    followUps: FollowUps,
  ): Promise<Changed | null> {
    return this.transact(async (c, announce: Announce) => {
      const updated = await update(c);
      if (!updated) return null;
      const [changed] = await this.followUp(c, [{ handoff: updated.handoff, extra: { noteId: updated.noteId, claimedFirst: updated.claimedFirst } }], followUps, announce);
      announce({ dueChanged: true });
      return changed!;
    });
  }

  /**
   * Inside a change's transaction: the outbox rows, idempotency records and events `followUps` derives
   * from each changed record. The events go last, under the event-order lock (held to the commit).
   */
  private async followUp(
    c: pg.PoolClient,
    changed: readonly { handoff: HandoffRecord; extra: Parameters<FollowUps>[1] }[],
    followUps: FollowUps,
    announce: Announce,
  ): Promise<Changed[]> {
    const derived = changed.map(({ handoff, extra }) => ({ handoff, ...followUps(handoff, extra) }));
    for (const { handoff, event, outbox, idempotency } of derived) {
      await this.outbox.enqueue(c, handoff.id, outbox, event.at);
      if (idempotency) await this.idempotency.put(c, idempotency, handoff.id, event.at);
    }
    await lockEventOrder(c);
    const out: Changed[] = [];
    for (const { handoff, before, event } of derived) {
      for (const e of before ?? []) await this.events.append(c, handoff.id, e);
      out.push({ handoff, eventSeq: await this.events.append(c, handoff.id, event) });
    }
    announce({ handoffIds: derived.map((d) => d.handoff.id), events: true, outbox: { paceKeys: [...new Set(derived.flatMap((d) => paceKeysOf(d.outbox)))] } });
    return out;
  }

  /** Erasure is a change like any other: each erased handoff's follow-ups commit with it. */
  private retentionRepository(): RetentionRepository {
    return {
      erase: (resolvedBefore, keysBefore, now, followUps) =>
        this.transact(async (c, announce) => {
          const { erased, notes, idempotencyKeys } = await eraseExpiredRows(c, resolvedBefore, keysBefore, now);
          if (erased.length > 0) await this.followUp(c, erased.map((handoff) => ({ handoff, extra: {} })), followUps, announce);
          return { handoffs: erased.length, notes, idempotencyKeys };
        }),
    };
  }

  /** A resolve or outcome note is a note like any other: in the thread, erased by retention, never in the event. */
  private async withNote(c: pg.PoolClient, id: string, updated: HandoffRecord | null, author: string, note: string | null, now: number) {
    if (!updated) return null;
    return note ? { handoff: updated, noteId: await this.notes.insert(c, id, author, note, now) } : { handoff: updated };
  }

  private connectRepository(connect: PgConnectRows): ConnectRepository {
    const current = async (c: pg.PoolClient, id: string, changed: boolean) => {
      const h = changed ? await this.rows.get(c, id) : null;
      return h ? { handoff: h } : null;
    };
    return {
      startWaiting: (id, ch, f) => this.change(id, async (c) => current(c, id, await connect.startWaiting(c, id, ch.now, ch.until)), f),
      endWaiting: (id, ch, f) => this.change(id, async (c) => current(c, id, await connect.endWaiting(c, id, ch.state, ch.user, ch.now)), f),
      expired: (now, limit) => connect.expired(this.pool, now, limit),
    };
  }

  private handoffsRepository(): HandoffsRepository {
    const rows = this.rows;
    const pool = this.pool;
    const wrap = (h: HandoffRecord | null) => (h ? { handoff: h } : null);
    return {
      get: (id) => rows.get(pool, id),
      claim: (id, ch, f) => this.change(id, async (c) => wrap(await rows.claim(c, id, ch)), f),
      release: (id, ch, f) => this.change(id, async (c) => wrap(await rows.release(c, id, ch)), f),
      reopen: (id, ch, f) => this.change(id, async (c) => wrap(await rows.reopen(c, id, ch)), f),
      escalate: (id, ch, f) => this.change(id, async (c) => wrap(await rows.escalate(c, id, ch)), f),
      resolve: (id, ch, f) => this.change(id, async (c) => this.withNote(c, id, await rows.resolve(c, id, ch), ch.who, ch.note, ch.now), f),
      recordOutcome: (id, ch, f) => this.change(id, async (c) => this.withNote(c, id, await rows.recordOutcome(c, id, ch), ch.who, ch.note, ch.now), f),
      addNote: (id, note, f) =>
        this.change(
          id,
          async (c) => {
            if (!(await rows.get(c, id, true))) return null;
            const noteId = await this.notes.insert(c, id, note.author, note.text, note.now);
            const handoff = await rows.touch(c, id);
            return handoff ? { handoff, noteId } : null;
          },
          f,
        ),
      applyCallUpdate: (id, expectedVersion, update, f) => this.change(id, async (c) => wrap(await rows.applyCallUpdate(c, id, expectedVersion, update)), f),
      markCallEnded: (id, ch, f) => this.change(id, async (c) => wrap(await rows.markCallEnded(c, id, ch.summary, ch.now)), f),
      callBack: (id, ch, f) =>
        this.change(
          id,
          async (c) => {
            // Locked and read inside the transaction: whether this claims the handoff is part of the same change.
            const claimedFirst = (await rows.get(c, id, true))?.status === 'open';
            const handoff = await rows.callBack(c, id, ch);
            return handoff ? { handoff, claimedFirst } : null;
          },
          f,
        ),
      clearDue: async (id, expectedDueAt) => {
        await this.transact(async (c, announce) => {
          if (await rows.clearDue(c, id, expectedDueAt)) announce({ handoffIds: [id], dueChanged: true });
        });
      },
      setSlackCard: (id, channel, ts, version) => rows.setSlackCard(pool, id, channel, ts, version),
      recordCardVersion: (id, version) => rows.recordCardVersion(pool, id, version),
      setSlackPermalink: (id, permalink) => rows.setSlackPermalink(pool, id, permalink),
      disableCallbacks: (id, reason) => rows.disableCallbacks(pool, id, reason),
      dueForEscalation: (now, limit) => rows.dueForEscalation(pool, now, limit),
      nextEscalationDueAt: () => rows.nextEscalationDueAt(pool),
    };
  }
}
