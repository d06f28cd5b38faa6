import type { Db } from './db.js';
import type { DueDigest } from '../records.js';
import type { WeeklyDigestsRepository } from '../store.js';

/** The weekly digest's durable schedule: a row per week, claimed once, retried until posted. */
export class SqliteWeeklyDigests implements WeeklyDigestsRepository {
  private readonly claimStmt;
  private readonly dueStmt;
  private readonly postedStmt;
  private readonly retryStmt;

  constructor(db: Db) {
    this.claimStmt = db.prepare('INSERT OR IGNORE INTO weekly_digests (week_start, channel, next_attempt_at, created_at) VALUES (?, ?, ?, ?)');
    this.dueStmt = db.prepare<[number], { week_start: number; channel: string; attempts: number }>(
      "SELECT week_start, channel, attempts FROM weekly_digests WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY week_start LIMIT 4",
    );
    this.postedStmt = db.prepare("UPDATE weekly_digests SET status = 'posted', posted_ts = ?, attempts = attempts + 1, last_error = NULL WHERE week_start = ? AND status = 'pending'");
    this.retryStmt = db.prepare('UPDATE weekly_digests SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE week_start = ?');
  }

  /** True only for the one caller that created the week's row: every later tick, restart or process sees it taken. */
  async claimWeek(weekStart: number, channel: string, now: number): Promise<boolean> {
    return this.claimStmt.run(weekStart, channel, now, now).changes === 1;
  }

  async due(now: number): Promise<DueDigest[]> {
    return this.dueStmt.all(now).map((r) => ({ weekStart: r.week_start, channel: r.channel, attempts: r.attempts }));
  }

  async markPosted(weekStart: number, ts: string): Promise<boolean> {
    return this.postedStmt.run(ts, weekStart).changes === 1;
  }

  async retryLater(weekStart: number, at: number, errorCode: string): Promise<void> {
    this.retryStmt.run(at, errorCode, weekStart);
  }
}
