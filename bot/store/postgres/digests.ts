import type pg from 'pg';
import type { DigestRecord, DueDigest, HandoffRecord } from '../records.js';
import type { StormDigestsRepository, WeeklyDigestsRepository } from '../store.js';
import { rowToHandoff, toDigest, type DigestRow, type HandoffRow as Row } from '../rows.js';
import { POSTGRES, type Bound } from '../sql/dialect.js';
import { stormDigestStatements, weeklyDigestStatements as W, type DueWeekRow } from '../sql/digests.js';
import { inTransaction, q, rowsOf, run } from './pool.js';

const D = stormDigestStatements(POSTGRES);

/** The digest messages of storm-safe delivery and which handoffs each lists, on PostgreSQL (statements: ../sql/digests.ts). */
export class PgStormDigests implements StormDigestsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async waitingUndigested(paceKey: string, limit: number): Promise<string[]> {
    return (await rowsOf<{ handoff_id: string }>(this.pool, D.waitingUndigested(paceKey, limit))).map((r) => r.handoff_id);
  }

  async create(channel: string, handoffIds: readonly string[], now: number): Promise<DigestRecord> {
    return inTransaction(this.pool, async (c) => {
      const digest = (await rowsOf<DigestRow>(c, D.insert(channel, now)))[0]!;
      await q(
        c,
        'INSERT INTO slack_digest_entries (handoff_id, digest_id, position) SELECT h, @id, p - 1 FROM unnest(@ids::text[]) WITH ORDINALITY AS t(h, p)',
        { id: digest.id, ids: [...handoffIds] },
      );
      return toDigest(digest);
    });
  }

  async get(id: number): Promise<DigestRecord | null> {
    return this.one(D.get(id));
  }

  async unposted(channel: string): Promise<DigestRecord[]> {
    return (await rowsOf<DigestRow>(this.pool, D.unposted(channel))).map(toDigest);
  }

  async open(): Promise<DigestRecord[]> {
    return (await rowsOf<DigestRow>(this.pool, D.open())).map(toDigest);
  }

  async markAttempted(id: number, now: number): Promise<void> {
    await run(this.pool, D.markAttempted(id, now));
  }

  async markPosted(id: number, ts: string, renderedHash: string): Promise<void> {
    await run(this.pool, D.markPosted(id, ts, renderedHash));
  }

  async recordPermalink(id: number, permalink: string): Promise<void> {
    await run(this.pool, D.recordPermalink(id, permalink));
  }

  async markRendered(id: number, renderedHash: string, closedAt: number | null): Promise<void> {
    await run(this.pool, D.markRendered(id, renderedHash, closedAt));
  }

  async entries(digestId: number): Promise<HandoffRecord[]> {
    return (await rowsOf<Row>(this.pool, D.entries(digestId))).map(rowToHandoff);
  }

  async digestOf(handoffId: string): Promise<DigestRecord | null> {
    return this.one(D.digestOf(handoffId));
  }

  private async one(b: Bound): Promise<DigestRecord | null> {
    const row = (await rowsOf<DigestRow>(this.pool, b))[0];
    return row ? toDigest(row) : null;
  }
}

/** How long a process has a due week's digest to itself before another may try it. */
const DIGEST_TRY_MS = 2 * 60_000;

/** The weekly digest's schedule, shared: the primary key makes the week once, `due` hands a due week to one process. */
export class PgWeeklyDigests implements WeeklyDigestsRepository {
  constructor(private readonly pool: pg.Pool) {}

  async claimWeek(weekStart: number, channel: string, now: number): Promise<boolean> {
    return (await run(this.pool, W.claimWeek(weekStart, channel, now))) === 1;
  }

  /** Due weeks, each moved out of the other processes' sight while this one posts it (markPosted or retryLater settles it). */
  async due(now: number): Promise<DueDigest[]> {
    const { rows } = await q<DueWeekRow>(
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
    return (await run(this.pool, W.markPosted(weekStart, ts))) === 1;
  }

  async retryLater(weekStart: number, at: number, errorCode: string): Promise<void> {
    await run(this.pool, W.retryLater(weekStart, at, errorCode));
  }
}
