import type { PgMigration } from './migration.js';

export const stormsMigration: PgMigration = {
  version: 90,
  name: 'storms',
  sql: `
    ALTER TABLE outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 2;
    CREATE INDEX outbox_pending_pace_priority ON outbox (pace_key, priority, id) WHERE status = 'pending';

    ALTER TABLE handoffs ADD COLUMN slack_card_version INTEGER;
    ALTER TABLE handoffs ADD COLUMN remind_due_at BIGINT;
    ALTER TABLE handoffs ADD COLUMN call_back_reminder TEXT CHECK (call_back_reminder IN ('sent'));
    CREATE INDEX handoffs_remind_due ON handoffs (remind_due_at) WHERE remind_due_at IS NOT NULL;
    CREATE INDEX handoffs_call_back_due ON handoffs (caller_hung_up_at) WHERE caller_hung_up_at IS NOT NULL AND call_back_reminder IS NULL;

    CREATE TABLE slack_digests (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      channel TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      attempted_at BIGINT,
      ts TEXT,
      permalink TEXT,
      rendered_hash TEXT,
      closed_at BIGINT
    );
    CREATE INDEX slack_digests_open ON slack_digests (channel, id) WHERE closed_at IS NULL;
    CREATE TABLE slack_digest_entries (
      handoff_id TEXT PRIMARY KEY REFERENCES handoffs (id),
      digest_id BIGINT NOT NULL REFERENCES slack_digests (id),
      position INTEGER NOT NULL
    );
    CREATE INDEX slack_digest_entries_digest ON slack_digest_entries (digest_id, position);
  `,
};
