import type { Db } from './db.js';
import type { DueDigest } from '../records.js';
import { weeklyDigestStatements as W, type DueWeekRow } from '../sql/digests.js';
import { BoundRunner, statementCache } from './statement-cache.js';
import type { WeeklyDigestsRepository } from '../store.js';

/** The weekly digest's durable schedule (statements: ../sql/digests.ts): a row per week, claimed once, retried until posted. */
export class SqliteWeeklyDigests implements WeeklyDigestsRepository {
  private readonly run;
  private readonly sql;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
    this.sql = statementCache(db);
  }

  async claimWeek(weekStart: number, channel: string, now: number): Promise<boolean> {
    return this.run.run(W.claimWeek(weekStart, channel, now)).changes === 1;
  }

  /** One process per SQLite file: a due week is simply read (PostgreSQL hides it from other processes while one posts it). */
  async due(now: number): Promise<DueDigest[]> {
    const rows = this.sql("SELECT week_start, channel, attempts FROM weekly_digests WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY week_start LIMIT 4").all(now) as DueWeekRow[];
    return rows.map((r) => ({ weekStart: r.week_start, channel: r.channel, attempts: r.attempts }));
  }

  async markPosted(weekStart: number, ts: string): Promise<boolean> {
    return this.run.run(W.markPosted(weekStart, ts)).changes === 1;
  }

  async retryLater(weekStart: number, at: number, errorCode: string): Promise<void> {
    this.run.run(W.retryLater(weekStart, at, errorCode));
  }
}
