import type { Db } from './db.js';
import { rowToHandoff } from './handoffs-repo.js';
import type { HandoffRecord } from './records.js';
import { statementCache } from './statement-cache.js';

/** A storm digest message: one per storm wave in a channel, listing handoffs whose cards are still to come. */
export interface DigestRecord {
  id: number;
  channel: string;
  createdAt: number;
  attemptedAt: number | null;
  ts: string | null;
  permalink: string | null;
  renderedHash: string | null;
  closedAt: number | null;
}

interface DigestRow {
  id: number;
  channel: string;
  created_at: number;
  attempted_at: number | null;
  ts: string | null;
  permalink: string | null;
  rendered_hash: string | null;
  closed_at: number | null;
}

const toDigest = (r: DigestRow): DigestRecord => ({
  id: r.id,
  channel: r.channel,
  createdAt: r.created_at,
  attemptedAt: r.attempted_at,
  ts: r.ts,
  permalink: r.permalink,
  renderedHash: r.rendered_hash,
  closedAt: r.closed_at,
});

/** The digest messages of storm-safe delivery and which handoffs each lists. */
export class StormDigestsRepo {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Handoffs whose card waits in `paceKey`'s queue and that no digest lists yet, in the order their
   * cards will go out (urgent first, then oldest).
   */
  waitingUndigested(paceKey: string, limit: number): string[] {
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
  create(channel: string, handoffIds: readonly string[], now: number): DigestRecord {
    return this.db.transaction(() => {
      const id = Number(this.sql('INSERT INTO slack_digests (channel, created_at) VALUES (?, ?)').run(channel, now).lastInsertRowid);
      const add = this.sql('INSERT INTO slack_digest_entries (handoff_id, digest_id, position) VALUES (?, ?, ?)');
      handoffIds.forEach((h, i) => add.run(h, id, i));
      return this.get(id)!;
    })();
  }

  get(id: number): DigestRecord | null {
    const row = this.sql('SELECT * FROM slack_digests WHERE id = ?').get(id) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }

  /** Digests of `channel` created but not known to be posted (a crash may have come between). */
  unposted(channel: string): DigestRecord[] {
    return (this.sql('SELECT * FROM slack_digests WHERE channel = ? AND ts IS NULL AND closed_at IS NULL ORDER BY id').all(channel) as DigestRow[]).map(toDigest);
  }

  /** Posted digests whose rows may still change. */
  open(): DigestRecord[] {
    return (this.sql('SELECT * FROM slack_digests WHERE ts IS NOT NULL AND closed_at IS NULL ORDER BY id').all() as DigestRow[]).map(toDigest);
  }

  markAttempted(id: number, now: number): void {
    this.sql('UPDATE slack_digests SET attempted_at = COALESCE(attempted_at, ?) WHERE id = ?').run(now, id);
  }

  markPosted(id: number, ts: string, renderedHash: string): void {
    this.sql('UPDATE slack_digests SET ts = ?, rendered_hash = ? WHERE id = ?').run(ts, renderedHash, id);
  }

  recordPermalink(id: number, permalink: string): void {
    this.sql('UPDATE slack_digests SET permalink = ? WHERE id = ?').run(permalink, id);
  }

  /** The digest now shows `renderedHash`; `closedAt` when nothing on it can change any more. */
  markRendered(id: number, renderedHash: string, closedAt: number | null): void {
    this.sql('UPDATE slack_digests SET rendered_hash = ?, closed_at = ? WHERE id = ?').run(renderedHash, closedAt, id);
  }

  /** The handoffs a digest lists, in its order. */
  entries(digestId: number): HandoffRecord[] {
    return (
      this.sql(
        'SELECT h.* FROM slack_digest_entries e JOIN handoffs h ON h.id = e.handoff_id WHERE e.digest_id = ? ORDER BY e.position',
      ).all(digestId) as Parameters<typeof rowToHandoff>[0][]
    ).map(rowToHandoff);
  }

  /** The posted digest that lists a handoff, if any. */
  digestOf(handoffId: string): DigestRecord | null {
    const row = this.sql(
      'SELECT d.* FROM slack_digest_entries e JOIN slack_digests d ON d.id = e.digest_id WHERE e.handoff_id = ? AND d.ts IS NOT NULL',
    ).get(handoffId) as DigestRow | undefined;
    return row ? toDigest(row) : null;
  }
}
