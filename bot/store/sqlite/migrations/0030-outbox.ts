import type { Migration } from './migration.js';

export const outboxMigration: Migration = {
  version: 30,
  name: 'outbox',
  up(db) {
    db.exec(`
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        kind TEXT NOT NULL,
        lane TEXT NOT NULL,
        payload TEXT NOT NULL DEFAULT '{}',
        pace_key TEXT,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        first_attempt_at INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        done_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
      CREATE INDEX outbox_pending_pace ON outbox (pace_key, id) WHERE status = 'pending';
      CREATE INDEX outbox_handoff ON outbox (handoff_id, lane, id) WHERE status = 'pending';
    `);
  },
};
