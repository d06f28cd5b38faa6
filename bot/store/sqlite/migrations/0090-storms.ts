import type { Migration } from './migration.js';

/**
 * Storms, reminders: the order of a channel's posts (urgent first), the digest messages that make a
 * burst claimable before each card can be posted, which version of a handoff its card shows (a card
 * posted after a change needs no edit for it), and the reminder due times.
 */
export const stormsMigration: Migration = {
  version: 90,
  name: 'storms',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;
      CREATE INDEX outbox_pending_pace_priority ON outbox (pace_key, priority, id) WHERE status = 'pending';

      ALTER TABLE handoffs ADD COLUMN slack_card_version INTEGER;
      ALTER TABLE handoffs ADD COLUMN remind_due_at INTEGER;
      -- 'sent' once the "call the caller back" reminder of a caller who hung up waiting went out.
      ALTER TABLE handoffs ADD COLUMN call_back_reminder TEXT CHECK (call_back_reminder IN ('sent'));
      CREATE INDEX handoffs_remind_due ON handoffs (remind_due_at) WHERE remind_due_at IS NOT NULL;
      CREATE INDEX handoffs_call_back_due ON handoffs (caller_hung_up_at) WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL;

      CREATE TABLE slack_digests (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        attempted_at INTEGER,
        ts TEXT,
        permalink TEXT,
        rendered_hash TEXT,
        closed_at INTEGER
      ) STRICT;
      CREATE INDEX slack_digests_open ON slack_digests (channel, id) WHERE closed_at IS NULL;
      CREATE TABLE slack_digest_entries (
        handoff_id TEXT PRIMARY KEY REFERENCES handoffs (id),
        digest_id INTEGER NOT NULL REFERENCES slack_digests (id),
        position INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX slack_digest_entries_digest ON slack_digest_entries (digest_id, position);
    `);
  },
};
