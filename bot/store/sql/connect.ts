import type { ConnectState } from '../records.js';
import type { Bound, Dialect } from './dialect.js';

/** Claim-to-connect state of a handoff (docs/contract/reaching-the-caller.md), one text for both engines; each write is a conditional UPDATE. */
export function connectStatements(d: Dialect) {
  return {
    /** The caller waits until `until` (or later, if another request of the call waits longer); only while open. A second request keeps when the caller started waiting. */
    startWaiting: (id: string, now: number, until: number): Bound => ({
      text: `UPDATE handoffs SET connect_state = 'waiting',
        connect_waiting_since = CASE WHEN connect_state = 'waiting' THEN connect_waiting_since ELSE @now::bigint END,
        connect_waiting_until = ${d.greatest("COALESCE(CASE WHEN connect_state = 'waiting' THEN connect_waiting_until END, 0)", '@until::bigint')},
        connect_user = NULL, version = version + 1
      WHERE id = @id AND status = 'open'`,
      params: { id, now, until },
    }),

    /**
     * Ends the wait. `connected` / `no_phone` (a claim answered it) and `closed` (the last request holding
     * it went away) end it whenever it is on; `timed_out` only once its time has passed, so a later
     * request of the same call that waits longer keeps waiting.
     */
    endWaiting: (id: string, state: ConnectState, user: string | null, now: number): Bound => ({
      text: `UPDATE handoffs SET connect_state = @state::text, connect_user = @user::text, connect_waiting_until = NULL, version = version + 1
      WHERE id = @id AND connect_state = 'waiting' AND (@state::text IN ('connected', 'no_phone', 'closed') OR connect_waiting_until <= @now::bigint)`,
      params: { id, state, user, now },
    }),

    /** Waits whose time passed: after a restart nobody holds their request any more (rows: id). */
    expired: (now: number, limit: number): Bound => ({
      text: "SELECT id FROM handoffs WHERE connect_state = 'waiting' AND connect_waiting_until <= @now ORDER BY connect_waiting_until LIMIT @limit",
      params: { now, limit },
    }),
  };
}
