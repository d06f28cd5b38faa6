import type pg from 'pg';
import type { DigestRecord, DueDigest, HandoffRecord } from '../records.js';
import type { StormDigestsRepository, WeeklyDigestsRepository } from '../store.js';
import { rowToHandoff, toDigest, type DigestRow, type HandoffRow as Row } from '../rows.js';
import { inTransaction, q } from './pool.js';

/** The digest messages of storm-safe delivery and which handoffs each lists, on PostgreSQL. */
export class PgStormDigests implements StormDigestsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async waitingUndigested(paceKey: string, limit: number): Promise<string[]> {
    const { rows } = await q<{ handoff_id: string }>(
      this.pool,
      `SELECT o.handoff_id FROM outbox o JOIN handoffs h ON h.id = o.handoff_id
       WHERE o.status = 'pending' AND o.pace_key = @paceKey AND o.kind = 'slack.post_card' AND h.slack_ts IS NULL
         AND NOT EXISTS (SELECT 1 FROM slack_digest_entries e WHERE e.handoff_id = o.handoff_id)
       ORDER BY o.priority, o.id LIMIT @limit`,
      { paceKey, limit },
    );
    return rows.map((r) => r.handoff_id);
  }

  async create(channel: string, handoffIds: readonly string[], now: number): Promise<DigestRecord> {
    return inTransaction(this.pool, async (c) => {
      const { rows } = await q<DigestRow>(c, 'INSERT INTO slack_digests (channel, created_at) VALUES (@channel, @now) RETURNING *', { channel, now });
      const digest = rows[0]!;
      await q(
        c,
        'INSERT INTO slack_digest_entries (handoff_id, digest_id, position) SELECT h, @id, p - 1 FROM unnest(@ids::text[]) WITH ORDINALITY AS t(h, p)',
        { id: digest.id, ids: [...handoffIds] },
      );
      return toDigest(digest);
    });
  }

  async get(id: number): Promise<DigestRecord | null> {
    const { rows } = await q<DigestRow>(this.pool, 'SELECT * FROM slack_digests WHERE id = @id', { id });
    return rows[0] ? toDigest(rows[0]) : null;
  }

  async unposted(channel: string): Promise<DigestRecord[]> {
    return (await q<DigestRow>(this.pool, 'SELECT * FROM slack_digests WHERE channel = @channel AND ts IS NULL AND closed_at IS NULL ORDER BY id', { channel })).rows.map(toDigest);
  }

  async open(): Promise<DigestRecord[]> {
    return (await this.pool.query<DigestRow>('SELECT * FROM slack_digests WHERE ts IS NOT NULL AND closed_at IS NULL ORDER BY id')).rows.map(toDigest);
  }

  async markAttempted(id: number, now: number): Promise<void> {
    await q(this.pool, 'UPDATE slack_digests SET attempted_at = COALESCE(attempted_at, @now) WHERE id = @id', { id, now });
  }

  async markPosted(id: number, ts: string, renderedHash: string): Promise<void> {
    await q(this.pool, 'UPDATE slack_digests SET ts = @ts, rendered_hash = @renderedHash WHERE id = @id', { id, ts, renderedHash });
  }

  async recordPermalink(id: number, permalink: string): Promise<void> {
    await q(this.pool, 'UPDATE slack_digests SET permalink = @permalink WHERE id = @id', { id, permalink });
  }

  async markRendered(id: number, renderedHash: string, closedAt: number | null): Promise<void> {
    await q(this.pool, 'UPDATE slack_digests SET rendered_hash = @renderedHash, closed_at = @closedAt::bigint WHERE id = @id', { id, renderedHash, closedAt });
  }

  async entries(digestId: number): Promise<HandoffRecord[]> {
    const { rows } = await q<Row>(this.pool, 'SELECT h.* FROM slack_digest_entries e JOIN handoffs h ON h.id = e.handoff_id WHERE e.digest_id = @digestId ORDER BY e.position', {
      digestId,
    });
    return rows.map(rowToHandoff);
  }

  async digestOf(handoffId: string): Promise<DigestRecord | null> {
    const { rows } = await q<DigestRow>(
      this.pool,
      'SELECT d.* FROM slack_digest_entries e JOIN slack_digests d ON d.id = e.digest_id WHERE e.handoff_id = @handoffId AND d.ts IS NOT NULL',
      { handoffId },
    );
    return rows[0] ? toDigest(rows[0]) : null;
  }
}

/** How long a process has a due week's digest to itself before another may try it. */
const DIGEST_TRY_MS = 2 * 60_000;

/** The weekly digest's schedule, shared: the primary key makes the week once, `due` hands a due week to one process. */
export class PgWeeklyDigests implements WeeklyDigestsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async claimWeek(weekStart: number, channel: string, now: number): Promise<boolean> {
    const r = await q(
      this.pool,
      'INSERT INTO weekly_digests (week_start, channel, next_attempt_at, created_at) VALUES (@weekStart, @channel, @now, @now) ON CONFLICT DO NOTHING',
      { weekStart, channel, now },
    );
    return r.rowCount === 1;
  }

  /** Due weeks, each moved out of the other processes' sight while this one posts it (markPosted or retryLater settles it). */
  async due(now: number): Promise<DueDigest[]> {
    const { rows } = await q<{ week_start: number; channel: string; attempts: number }>(
      this.pool,
      `UPDATE weekly_digests SET next_attempt_at = @until
       WHERE week_start IN (SELECT week_start FROM weekly_digests WHERE status = 'pending' AND next_attempt_at <= @now
                            ORDER BY week_start LIMIT 4 FOR UPDATE SKIP LOCKED)
       RETURNING week_start, channel, attempts`,
      { now, until: now + DIGEST_TRY_MS },
    );
    return rows.sort((a, b) => a.week_start - b.week_start).map((r) => ({ weekStart: r.week_start, channel: r.channel, attempts: r.attempts }));
  }

  async markPosted(weekStart: number, ts: string): Promise<boolean> {
    const r = await q(
      this.pool,
      "UPDATE weekly_digests SET status = 'posted', posted_ts = @ts, attempts = attempts + 1, last_error = NULL WHERE week_start = @weekStart AND status = 'pending'",
      { weekStart, ts },
    );
    return r.rowCount === 1;
  }

  async retryLater(weekStart: number, at: number, errorCode: string): Promise<void> {
    await q(this.pool, 'UPDATE weekly_digests SET attempts = attempts + 1, next_attempt_at = @at, last_error = @errorCode WHERE week_start = @weekStart', { weekStart, at, errorCode });
  }
}
