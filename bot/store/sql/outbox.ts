import type { Bound, Dialect } from './dialect.js';

const COLUMNS = 'o.id, o.handoff_id, o.kind, o.payload, o.pace_key, o.priority, o.status, o.attempts, o.next_attempt_at, o.first_attempt_at, o.last_error, o.created_at, o.done_at';

/** Only the head of each handoff's queue per lane is due: a card update waits for its card, the second callback for the first; an SMS never waits for Slack. */
const HEAD = `NOT EXISTS (SELECT 1 FROM outbox p WHERE p.handoff_id = o.handoff_id AND p.lane = o.lane AND p.status = 'pending' AND p.id < o.id)`;

/**
 * A card edit row whose card is behind its handoff: a change committed after the edit drew the handoff
 * (its own edit was not queued, this row being the one pending edit, migration 170).
 */
const CARD_BEHIND = `outbox.kind = 'slack.update_card' AND EXISTS (SELECT 1 FROM handoffs h
  WHERE h.id = outbox.handoff_id AND h.slack_ts IS NOT NULL AND h.version > COALESCE(h.slack_card_version, 0))`;

/** How an engine shares its rows between processes: nothing on SQLite (one process per file); leases on PostgreSQL. */
export interface OutboxSharing {
  /** A condition on `outbox o`: no other process is delivering the row (its parameters come with `params`). */
  available: string | null;
  /** SET items that end this process's hold on a row it finished. */
  release: string;
  params: Bound['params'];
}

/** The outbox's statements, one text for both engines; rows are inserted with their state change (write-ops.ts). */
export function outboxStatements(d: Dialect, sharing: OutboxSharing) {
  const available = sharing.available === null ? '' : ` AND ${sharing.available}`;
  const due = () =>
    `o.status = 'pending' AND o.next_attempt_at <= @now AND o.lane ${d.notInList('@paused')}${available} AND ${HEAD}`;
  const dueParams = (now: number, paused: readonly string[]) => ({ ...sharing.params, now, paused: d.list(paused) });
  const finish = (set: string, params: Bound['params']): Bound => ({ text: `UPDATE outbox SET ${set}${sharing.release} WHERE id = @id`, params });
  return {
    /** Unpaced rows due at `now`, oldest first. */
    dueUnpaced: (now: number, limit: number, paused: readonly string[]): Bound => ({
      text: `SELECT ${COLUMNS} FROM outbox o${d.indexedBy('outbox_pending_pace')}
       WHERE o.pace_key IS NULL AND ${due()}
       ORDER BY o.id LIMIT @limit`,
      params: { ...dueParams(now, paused), limit },
    }),
    /** Per pace key, its first sendable row only (urgent first, then oldest): a backlog behind a slow channel is never scanned. */
    dueHead: (paceKey: string, now: number, paused: readonly string[]): Bound => ({
      text: `SELECT ${COLUMNS} FROM outbox o${d.indexedBy('outbox_pending_pace_priority')}
       WHERE o.pace_key = @paceKey AND ${due()}
       ORDER BY o.priority, o.id LIMIT 1`,
      params: { ...dueParams(now, paused), paceKey },
    }),
    /** `dueHead` for several keys in one statement (PostgreSQL: a lateral join over the keys). */
    dueHeads: (paceKeys: readonly string[], now: number, paused: readonly string[]): Bound => ({
      text: `SELECT h.* FROM unnest(@keys::text[]) AS k(pace_key)
       CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM outbox o
         WHERE o.pace_key = k.pace_key AND ${due()}
         ORDER BY o.priority, o.id LIMIT 1) h`,
      params: { ...dueParams(now, paused), keys: d.list(paceKeys) },
    }),
    /** Rows: pace_key. */
    pendingPaceKeys: (): Bound => ({ text: "SELECT DISTINCT pace_key FROM outbox WHERE status = 'pending' AND pace_key IS NOT NULL", params: {} }),
    get: (id: number): Bound => ({ text: `SELECT ${COLUMNS} FROM outbox o WHERE o.id = @id`, params: { id } }),
    forHandoff: (handoffId: string): Bound => ({ text: `SELECT ${COLUMNS} FROM outbox o WHERE o.handoff_id = @handoffId ORDER BY o.id`, params: { handoffId } }),
    /**
     * Done, except a card edit whose card fell behind meanwhile: it stays pending (due again at once) and
     * redraws the latest state. Decided in this one statement, so no change can slip in between the
     * handler's last look and the row's end.
     */
    markDone: (id: number, now: number): Bound =>
      finish(
        `status = CASE WHEN ${CARD_BEHIND} THEN 'pending' ELSE 'done' END, done_at = CASE WHEN ${CARD_BEHIND} THEN done_at ELSE @now END,
         attempts = attempts + 1, last_error = NULL`,
        { id, now },
      ),
    markFailed: (id: number, now: number, errorCode: string): Bound =>
      finish("status = 'failed', done_at = @now, attempts = attempts + 1, last_error = @errorCode", { id, now, errorCode }),
    retryLater: (id: number, at: number, now: number, errorCode: string, countAttempt: boolean): Bound =>
      finish('next_attempt_at = @at, attempts = attempts + @inc, last_error = @errorCode, first_attempt_at = COALESCE(first_attempt_at, @now)', {
        id,
        at,
        now,
        errorCode,
        inc: countAttempt ? 1 : 0,
      }),
    /** Not sent yet, and no attempt made: look again at `at`. */
    deferTo: (id: number, at: number): Bound => finish('next_attempt_at = @at', { id, at }),
    markAttemptStarted: (id: number, now: number): Bound => ({ text: 'UPDATE outbox SET first_attempt_at = COALESCE(first_attempt_at, @now) WHERE id = @id', params: { id, now } }),
    /** One row: depth, oldest. */
    stats: (): Bound => ({ text: "SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox WHERE status = 'pending'", params: {} }),
    /** One row: at. */
    nextDueAt: (): Bound => ({ text: "SELECT MIN(next_attempt_at) AS at FROM outbox WHERE status = 'pending'", params: {} }),
  };
}
