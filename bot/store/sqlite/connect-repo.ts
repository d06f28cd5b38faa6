import type { Db } from './db.js';
import type { ConnectState } from '../records.js';

/** Claim-to-connect state of a handoff (docs/contract/reaching-the-caller.md); each write is a conditional UPDATE. */
export class SqliteConnectRows {
  private readonly startStmt;
  private readonly endStmt;
  private readonly staleStmt;

  constructor(db: Db) {
    // A second transfer request of the same call keeps when the caller started waiting.
    this.startStmt = db.prepare<{ id: string; now: number; until: number }>(`
      UPDATE handoffs SET connect_state = 'waiting',
        connect_waiting_since = CASE WHEN connect_state = 'waiting' THEN connect_waiting_since ELSE @now END,
        connect_waiting_until = MAX(COALESCE(CASE WHEN connect_state = 'waiting' THEN connect_waiting_until END, 0), @until),
        connect_user = NULL, version = version + 1
      WHERE id = @id AND status = 'open'`);
    this.endStmt = db.prepare<{ id: string; state: ConnectState; user: string | null; now: number }>(`
      UPDATE handoffs SET connect_state = @state, connect_user = @user, connect_waiting_until = NULL, version = version + 1
      WHERE id = @id AND connect_state = 'waiting' AND (@state IN ('connected', 'no_phone', 'closed') OR connect_waiting_until <= @now)`);
    this.staleStmt = db.prepare<[number, number], { id: string }>(
      "SELECT id FROM handoffs WHERE connect_state = 'waiting' AND connect_waiting_until <= ? ORDER BY connect_waiting_until LIMIT ?",
    );
  }

  /** The caller waits until `until` (or later, if another request of the call waits longer); only while open. */
  startWaiting(id: string, now: number, until: number): boolean {
    return this.startStmt.run({ id, now, until }).changes === 1;
  }

  /**
   * Ends the wait. `connected` / `no_phone` (a claim answered it) and `closed` (the last request holding
   * it went away) end it whenever it is on; `timed_out` only once its time has passed, so a later
   * request of the same call that waits longer keeps waiting.
   */
  endWaiting(id: string, state: ConnectState, user: string | null, now: number): boolean {
    return this.endStmt.run({ id, state, user, now }).changes === 1;
  }

  /** Waits whose time passed: after a restart nobody holds their request any more. */
  expiredSync(now: number, limit = 100): string[] {
    return this.staleStmt.all(now, limit).map((r) => r.id);
  }
}
