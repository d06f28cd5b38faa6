import type { Db } from './db.js';

export interface DueDigest {
  weekStart: number;
  channel: string;
  attempts: number;
}

/** The weekly digest's durable schedule: a row per week, claimed once, retried until posted. */
export class DigestsRepo {
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
  claimWeek(weekStart: number, channel: string, now: number): boolean {
    return this.claimStmt.run(weekStart, channel, now, now).changes === 1;
  }

  due(now: number): DueDigest[] {
    return this.dueStmt.all(now).map((r) => ({ weekStart: r.week_start, channel: r.channel, attempts: r.attempts }));
  }

  markPosted(weekStart: number, ts: string): boolean {
    return this.postedStmt.run(ts, weekStart).changes === 1;
  }

  retryLater(weekStart: number, at: number, errorCode: string): void {
    this.retryStmt.run(at, errorCode, weekStart);
  }
}
