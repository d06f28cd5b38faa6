import type { Db } from './db.js';
import { rowToHandoff, toDigest, type DigestRow } from '../rows.js';
import type { DigestRecord, HandoffRecord } from '../records.js';
import type { StormDigestsRepository } from '../store.js';
import { statementCache } from './statement-cache.js';

/** The digest messages of storm-safe delivery and which handoffs each lists. */
export class SqliteStormDigests implements StormDigestsRepository {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Handoffs whose card waits in `paceKey`'s queue and that no digest lists yet, in the order their
   * cards will go out (urgent first, then oldest).
   */
  async waitingUndigested(paceKey: string, limit: number): Promise<string[]> {
    return this.sql(
      `SELECT o.handoff_id FROM outbox o INDEXED BY outbox_pending_pace_priority
       JOIN handoffs h ON h.id = o.handoff_id
       WHERE o.status = 'pending' AND o.pace_key = ? AND o.kind = 'slack.post_card' AND h.slack_ts IS NULL
         AND NOT EXISTS (SELECT 1 FROM slack_digest_entries e WHERE e.handoff_id = o.handoff_id)
       ORDER BY o.priority, o.id LIMIT ?`,
    )
      .pluck()
      .all(paceKey, limit) as string[];
  }

  /** A new digest listing `handoffIds` (in that order), in one transaction; returns it. */
  async create(channel: string, handoffIds: readonly string[], now: number): Promise<DigestRecord> {
    return this.db.transaction(() => {
      const id = Number(this.sql('INSERT INTO slack_digests (channel, created_at) VALUES (?, ?)').run(channel, now).lastInsertRowid);
      const add = this.sql('INSERT INTO slack_digest_entries (handoff_id, digest_id, position) VALUES (?, ?, ?)');
      handoffIds.forEach((h, i) => add.run(h, id, i));
      return this.getSync(id)!;
    })();
  }

  async get(id: number): Promise<DigestRecord | null> {
    return this.getSync(id);
  }

  private getSync(id: number): DigestRecord | null {
    const row = this.sql('SELECT * FROM slack_digests WHERE id = ?').get(id) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }

  /** Digests of `channel` created but not known to be posted (a crash may have come between). */
  async unposted(channel: string): Promise<DigestRecord[]> {
    return (this.sql('SELECT * FROM slack_digests WHERE channel = ? AND ts IS NULL AND closed_at IS NULL ORDER BY id').all(channel) as DigestRow[]).map(toDigest);
  }

  /** Posted digests whose rows may still change. */
  async open(): Promise<DigestRecord[]> {
    return (this.sql('SELECT * FROM slack_digests WHERE ts IS NOT NULL AND closed_at IS NULL ORDER BY id').all() as DigestRow[]).map(toDigest);
  }

  async markAttempted(id: number, now: number): Promise<void> {
    this.sql('UPDATE slack_digests SET attempted_at = COALESCE(attempted_at, ?) WHERE id = ?').run(now, id);
  }

  async markPosted(id: number, ts: string, renderedHash: string): Promise<void> {
    this.sql('UPDATE slack_digests SET ts = ?, rendered_hash = ? WHERE id = ?').run(ts, renderedHash, id);
  }

  async recordPermalink(id: number, permalink: string): Promise<void> {
    this.sql('UPDATE slack_digests SET permalink = ? WHERE id = ?').run(permalink, id);
  }

  /** The digest now shows `renderedHash`; `closedAt` when nothing on it can change any more. */
  async markRendered(id: number, renderedHash: string, closedAt: number | null): Promise<void> {
    this.sql('UPDATE slack_digests SET rendered_hash = ?, closed_at = ? WHERE id = ?').run(renderedHash, closedAt, id);
  }

  /** The handoffs a digest lists, in its order. */
  async entries(digestId: number): Promise<HandoffRecord[]> {
    return (
      this.sql(
        'SELECT h.* FROM slack_digest_entries e JOIN handoffs h ON h.id = e.handoff_id WHERE e.digest_id = ? ORDER BY e.position',
      ).all(digestId) as Parameters<typeof rowToHandoff>[0][]
    ).map(rowToHandoff);
  }

  /** The posted digest that lists a handoff, if any. */
  async digestOf(handoffId: string): Promise<DigestRecord | null> {
    const row = this.sql(
      'SELECT d.* FROM slack_digest_entries e JOIN slack_digests d ON d.id = e.digest_id WHERE e.handoff_id = ? AND d.ts IS NOT NULL',
    ).get(handoffId) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }
}
