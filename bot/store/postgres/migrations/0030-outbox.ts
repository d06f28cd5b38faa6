import type { PgMigration } from './migration.js';

export const outboxMigration: PgMigration = {
  version: 30,
  name: 'outbox',
  sql: `
    CREATE TABLE outbox (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      kind TEXT NOT NULL,
      lane TEXT NOT NULL,
      payload TEXT NOT NULL DEFAULT '{}',
      pace_key TEXT,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','done','failed')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      first_attempt_at BIGINT,
      last_error TEXT,
      created_at BIGINT NOT NULL,
      done_at BIGINT
    );
    CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE status = 'pending';
    CREATE INDEX outbox_pending_pace ON outbox (pace_key, id) WHERE status = 'pending';
    CREATE INDEX outbox_handoff ON outbox (handoff_id, lane, id) WHERE status = 'pending';
  `,
};
