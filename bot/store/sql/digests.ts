import type { Bound, Dialect } from './dialect.js';

/** Storm digests (a message listing handoffs whose cards are still to come), one text for both engines. */
export function stormDigestStatements(d: Dialect) {
  return {
    /** Handoffs whose card waits in the pace key's queue and that no digest lists yet, in the order their cards will go out; rows: handoff_id. */
    waitingUndigested: (paceKey: string, limit: number): Bound => ({
      text: `SELECT o.handoff_id FROM outbox o${d.indexedBy('outbox_pending_pace_priority')}
       JOIN handoffs h ON h.id = o.handoff_id
       WHERE o.status = 'pending' AND o.pace_key = @paceKey AND o.kind = 'slack.post_card' AND h.slack_ts IS NULL
         AND NOT EXISTS (SELECT 1 FROM slack_digest_entries e WHERE e.handoff_id = o.handoff_id)
       ORDER BY o.priority, o.id LIMIT @limit`,
      params: { paceKey, limit },
    }),
    /** One row: the new digest. */
    insert: (channel: string, now: number): Bound => ({ text: 'INSERT INTO slack_digests (channel, created_at) VALUES (@channel, @now) RETURNING *', params: { channel, now } }),
    get: (id: number): Bound => ({ text: 'SELECT * FROM slack_digests WHERE id = @id', params: { id } }),
    unposted: (channel: string): Bound => ({ text: 'SELECT * FROM slack_digests WHERE channel = @channel AND ts IS NULL AND closed_at IS NULL ORDER BY id', params: { channel } }),
    open: (): Bound => ({ text: 'SELECT * FROM slack_digests WHERE ts IS NOT NULL AND closed_at IS NULL ORDER BY id', params: {} }),
    markAttempted: (id: number, now: number): Bound => ({ text: 'UPDATE slack_digests SET attempted_at = COALESCE(attempted_at, @now) WHERE id = @id', params: { id, now } }),
    markPosted: (id: number, ts: string, renderedHash: string): Bound => ({
      text: 'UPDATE slack_digests SET ts = @ts, rendered_hash = @renderedHash WHERE id = @id',
      params: { id, ts, renderedHash },
    }),
    recordPermalink: (id: number, permalink: string): Bound => ({ text: 'UPDATE slack_digests SET permalink = @permalink WHERE id = @id', params: { id, permalink } }),
    markRendered: (id: number, renderedHash: string, closedAt: number | null): Bound => ({
      text: 'UPDATE slack_digests SET rendered_hash = @renderedHash, closed_at = @closedAt::bigint WHERE id = @id',
      params: { id, renderedHash, closedAt },
    }),
    /** The handoffs a digest lists, in its order. */
    entries: (digestId: number): Bound => ({
      text: 'SELECT h.* FROM slack_digest_entries e JOIN handoffs h ON h.id = e.handoff_id WHERE e.digest_id = @digestId ORDER BY e.position',
      params: { digestId },
    }),
    /** The posted digest that lists a handoff, if any. */
    digestOf: (handoffId: string): Bound => ({
      text: 'SELECT d.* FROM slack_digest_entries e JOIN slack_digests d ON d.id = e.digest_id WHERE e.handoff_id = @handoffId AND d.ts IS NOT NULL',
      params: { handoffId },
    }),
  };
}

/** The weekly digest's schedule: a row per week, claimed once, retried until posted. */
export const weeklyDigestStatements = {
  /** Changes a row only for the one caller that creates the week's row. */
  claimWeek: (weekStart: number, channel: string, now: number): Bound => ({
    text: 'INSERT INTO weekly_digests (week_start, channel, next_attempt_at, created_at) VALUES (@weekStart, @channel, @now, @now) ON CONFLICT DO NOTHING',
    params: { weekStart, channel, now },
  }),
  markPosted: (weekStart: number, ts: string): Bound => ({
    text: "UPDATE weekly_digests SET status = 'posted', posted_ts = @ts, attempts = attempts + 1, last_error = NULL WHERE week_start = @weekStart AND status = 'pending'",
    params: { weekStart, ts },
  }),
  retryLater: (weekStart: number, at: number, errorCode: string): Bound => ({
    text: 'UPDATE weekly_digests SET attempts = attempts + 1, next_attempt_at = @at, last_error = @errorCode WHERE week_start = @weekStart',
    params: { weekStart, at, errorCode },
  }),
};

export interface DueWeekRow {
  week_start: number;
  channel: string;
  attempts: number;
}
