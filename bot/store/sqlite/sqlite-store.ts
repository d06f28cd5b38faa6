import type { HandoffRecord, NewOutboxItem } from '../records.js';
import { openDatabase, type Db } from './db.js';
import { SqliteEvents } from './events-repo.js';
import { SqliteHandoffs } from './handoffs-repo.js';
import { SqliteIdempotency } from './idempotency-repo.js';
import { CommitNotifier } from '../notifier.js';
import { SqliteOutbox } from './outbox-repo.js';
import { SqliteProviderCalls } from './provider-calls-repo.js';
import { SqliteCallBacks } from './call-backs-repo.js';
import { SqliteRetentionRows } from './retention-repo.js';
import { SqliteDesktopAuth, SqliteNotes, SqliteSlackMessages } from './small-repos.js';
import { SqliteStatusQueries } from './status-queries.js';
import { SqliteStatsQueries } from './stats-queries.js';
import { SqliteConnectRows } from './connect-repo.js';
import { SqliteStormDigests } from './storm-digests-repo.js';
import { SqliteWeeklyDigests } from './digests-repo.js';
import { SqliteReminders } from './reminders-repo.js';
import { SqliteDetailsLinks } from './details-links-repo.js';
import type { AcceptedHandoff, Changed, ConnectRepository, FollowUps, HandoffsRepository, RetentionRepository, Store } from '../store.js';
import { acceptedHandoffOps } from '../write-ops.js';
import { withStoreErrors } from '../error-edge.js';
import { sqliteStoreError } from './sqlite-errors.js';
import { WriterThread } from './writer-thread.js';

export interface SqliteStoreOptions {
  file: string;
  /** Observes each group commit's size (metrics). */
  onBatch?: (size: number) => void;
}

function paceKeysOf(items: readonly NewOutboxItem[]): string[] {
  return [...new Set(items.flatMap((i) => (i.paceKey ? [i.paceKey] : [])))];
}

/**
 * The store on one SQLite file. The main connection (private) serves reads and the state changes,
 * each one synchronous `better-sqlite3` transaction, so nothing interleaves inside it; intake goes to
 * the writer thread's group commit on its own connection, so its fsync never blocks the event loop.
 */
export class SqliteStore implements Store {
  readonly commits = new CommitNotifier();
  readonly handoffs: HandoffsRepository;
  readonly events: SqliteEvents;
  readonly outbox: SqliteOutbox;
  readonly idempotency: SqliteIdempotency;
  readonly notes: SqliteNotes;
  readonly slackMessages: SqliteSlackMessages;
  readonly reminders: SqliteReminders;
  readonly desktopAuth: SqliteDesktopAuth;
  readonly status: SqliteStatusQueries;
  readonly retention: RetentionRepository;
  readonly providerCalls: SqliteProviderCalls;
  readonly callBacks: SqliteCallBacks;
  readonly stats: SqliteStatsQueries;
  readonly connect: ConnectRepository;
  readonly stormDigests: SqliteStormDigests;
  readonly weeklyDigests: SqliteWeeklyDigests;
  readonly detailsLinks: SqliteDetailsLinks;
  private readonly rows: SqliteHandoffs;

  private constructor(
    private readonly db: Db,
    private readonly writer: WriterThread,
  ) {
    this.rows = new SqliteHandoffs(db);
    this.events = new SqliteEvents(db);
    this.outbox = new SqliteOutbox(db);
    this.idempotency = new SqliteIdempotency(db);
    this.notes = new SqliteNotes(db);
    this.slackMessages = new SqliteSlackMessages(db);
    this.desktopAuth = new SqliteDesktopAuth(db);
    this.status = new SqliteStatusQueries(db);
    this.providerCalls = new SqliteProviderCalls(db);
    this.callBacks = new SqliteCallBacks(db);
    this.stats = new SqliteStatsQueries(db);
    this.stormDigests = new SqliteStormDigests(db);
    this.weeklyDigests = new SqliteWeeklyDigests(db);
    this.retention = this.retentionRepository(new SqliteRetentionRows(db));
    this.reminders = new SqliteReminders(db, this.outbox, (id, paceKeys) => this.commits.publish({ handoffIds: [id], outbox: { paceKeys } }));
    this.detailsLinks = new SqliteDetailsLinks(db, this.events, (id) => this.commits.publish({ handoffIds: [id], events: true }));
    this.handoffs = this.handoffsRepository();
    this.connect = this.connectRepository(new SqliteConnectRows(db));
  }

  /** Opens (and migrates) the file and starts the writer thread. */
  static async open(options: SqliteStoreOptions): Promise<SqliteStore> {
    const db = openDatabase(options.file);
    const writer = new WriterThread({ file: options.file, onBatch: options.onBatch });
    try {
      await writer.whenReady();
    } catch (err) {
      db.close();
      throw err;
    }
    // What the bot calls rejects with StoreErrors only: SQLite's codes stay in here.
    return withStoreErrors(new SqliteStore(db, writer), sqliteStoreError);
  }

  async accept(unit: AcceptedHandoff): Promise<void> {
    await this.writer.submit(acceptedHandoffOps(unit));
    const due = unit.handoff.escalateDueAt;
    this.commits.publish({ handoffIds: [unit.handoff.id], events: true, outbox: { paceKeys: paceKeysOf(unit.outbox) }, dueAt: due === null ? [] : [due] });
  }

  async ping(): Promise<void> {
    this.db.prepare('SELECT 1').get();
  }

  async close(): Promise<void> {
    await this.writer.close();
    if (this.db.open) this.db.close();
  }

  /**
   * Runs one state change in an IMMEDIATE transaction: the conditional UPDATE, then (when it matched)
   * the event and outbox rows derived from the new record. Publishes after the commit.
   */
  private change(id: string, update: () => { handoff: HandoffRecord; noteId?: number; claimedFirst?: boolean } | null, followUps: FollowUps): Changed | null {
    const out = this.db
      .transaction(() => {
        const updated = update();
        if (!updated) return null;
        return this.followUp(updated.handoff, followUps, { noteId: updated.noteId, claimedFirst: updated.claimedFirst });
      })
      .immediate();
    if (!out) return null;
    this.commits.publish({ handoffIds: [id], events: true, outbox: { paceKeys: out.paceKeys }, dueChanged: true });
    return out.changed;
  }

  /** Inside a change's transaction: the events, outbox rows and idempotency record `followUps` derives from the changed record. */
  private followUp(handoff: HandoffRecord, followUps: FollowUps, extra: Parameters<FollowUps>[1]): { changed: Changed; paceKeys: string[] } {
    const id = handoff.id;
    const { before, event, outbox, idempotency } = followUps(handoff, extra);
    for (const e of before ?? []) this.events.appendSync(id, e);
    const eventSeq = this.events.appendSync(id, event);
    this.outbox.enqueueSync(id, outbox, event.at);
    if (idempotency) this.idempotency.putSync(idempotency, id, event.at);
    return { changed: { handoff, eventSeq }, paceKeys: paceKeysOf(outbox) };
  }

  /** Erasure is a change like any other: each erased handoff's follow-ups commit with it. */
  private retentionRepository(rows: SqliteRetentionRows): RetentionRepository {
    return {
      erase: async (resolvedBefore, keysBefore, now, followUps) => {
        const { erased, notes, idempotencyKeys, paceKeys } = this.db
          .transaction(() => {
            const out = rows.erase(resolvedBefore, keysBefore, now);
            const keys = out.erased.flatMap((h) => this.followUp(h, followUps, {}).paceKeys);
            return { ...out, paceKeys: [...new Set(keys)] };
          })
          .immediate();
        if (erased.length > 0) {
          // The freed (zeroed) pages leave the WAL too.
          this.db.pragma('wal_checkpoint(TRUNCATE)');
          this.commits.publish({ handoffIds: erased.map((h) => h.id), events: true, outbox: { paceKeys } });
        }
        return { handoffs: erased.length, notes, idempotencyKeys };
      },
    };
  }

  /** A resolve or outcome note is a note like any other: in the thread, erased by retention, never in the event. */
  private withNote(id: string, updated: HandoffRecord | null, author: string, note: string | null, now: number): { handoff: HandoffRecord; noteId?: number } | null {
    if (!updated) return null;
    return note ? { handoff: updated, noteId: this.notes.insertSync(id, author, note, now) } : { handoff: updated };
  }

  private connectRepository(connect: SqliteConnectRows): ConnectRepository {
    const current = (id: string, changed: boolean) => (changed ? this.rows.getSync(id) : null);
    return {
      startWaiting: async (id, c, f) => this.change(id, () => this.wrapRecord(current(id, connect.startWaiting(id, c.now, c.until))), f),
      endWaiting: async (id, c, f) => this.change(id, () => this.wrapRecord(current(id, connect.endWaiting(id, c.state, c.user, c.now))), f),
      expired: async (now, limit) => connect.expiredSync(now, limit),
    };
  }

  private wrapRecord(h: HandoffRecord | null): { handoff: HandoffRecord } | null {
    return h ? { handoff: h } : null;
  }

  private handoffsRepository(): HandoffsRepository {
    const rows = this.rows;
    const wrap = (h: HandoffRecord | null) => (h ? { handoff: h } : null);
    return {
      get: async (id) => rows.getSync(id),
      claim: async (id, c, f) => this.change(id, () => wrap(rows.claim(id, c)), f),
      release: async (id, c, f) => this.change(id, () => wrap(rows.release(id, c)), f),
      reopen: async (id, c, f) => this.change(id, () => wrap(rows.reopen(id, c)), f),
      escalate: async (id, c, f) => this.change(id, () => wrap(rows.escalate(id, c)), f),
      resolve: async (id, c, f) => this.change(id, () => this.withNote(id, rows.resolve(id, c), c.who, c.note, c.now), f),
      recordOutcome: async (id, c, f) => this.change(id, () => this.withNote(id, rows.recordOutcome(id, c), c.who, c.note, c.now), f),
      addNote: async (id, note, f) =>
        this.change(
          id,
          () => {
            if (!rows.getSync(id)) return null;
            const noteId = this.notes.insertSync(id, note.author, note.text, note.now);
            const handoff = rows.touch(id);
            return handoff ? { handoff, noteId } : null;
          },
          f,
        ),
      applyCallUpdate: async (id, expectedVersion, update, f) => this.change(id, () => wrap(rows.applyCallUpdate(id, expectedVersion, update)), f),
      markCallEnded: async (id, c, f) => this.change(id, () => wrap(rows.markCallEnded(id, c.summary, c.now)), f),
      callBack: async (id, c, f) =>
        this.change(
          id,
          () => {
            // Read inside the transaction: whether this claims the handoff is part of the same change.
            const claimedFirst = rows.getSync(id)?.status === 'open';
            const handoff = rows.callBack(id, c);
            return handoff ? { handoff, claimedFirst } : null;
          },
          f,
        ),
      clearDue: async (id, expectedDueAt) => {
        rows.clearDue(id, expectedDueAt);
        this.commits.publish({ handoffIds: [id], dueChanged: true });
      },
      setSlackCard: async (id, channel, ts, version) => rows.setSlackCard(id, channel, ts, version),
      recordCardVersion: async (id, version) => rows.recordCardVersion(id, version),
      setSlackPermalink: async (id, permalink) => rows.setSlackPermalink(id, permalink),
      disableCallbacks: async (id, reason) => rows.disableCallbacks(id, reason),
      dueForEscalation: async (now, limit) => rows.dueForEscalation(now, limit),
      nextEscalationDueAt: async () => rows.nextEscalationDueAt(),
    };
  }
}
