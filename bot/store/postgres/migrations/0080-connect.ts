import type { PgMigration } from './migration.js';

export const connectMigration: PgMigration = {
  version: 80,
  name: 'connect',
  sql: `
    ALTER TABLE handoffs ADD COLUMN connect_state TEXT
      CHECK (connect_state IN ('waiting', 'connected', 'no_phone', 'timed_out', 'closed'));
    ALTER TABLE handoffs ADD COLUMN connect_waiting_since BIGINT;
    ALTER TABLE handoffs ADD COLUMN connect_waiting_until BIGINT;
    ALTER TABLE handoffs ADD COLUMN connect_user TEXT;
    CREATE INDEX handoffs_connect_waiting ON handoffs (connect_waiting_until) WHERE connect_state = 'waiting';

    CREATE TABLE call_backs (
      outbox_id BIGINT PRIMARY KEY REFERENCES outbox (id),
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      call_sid TEXT NOT NULL UNIQUE,
      placed_at BIGINT NOT NULL
    );
  `,
};
