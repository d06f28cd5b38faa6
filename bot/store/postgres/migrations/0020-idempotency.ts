import type { PgMigration } from './migration.js';

// The primary key is what makes a key global across processes: a second insert of it fails.
export const idempotencyMigration: PgMigration = {
  version: 20,
  name: 'idempotency',
  sql: `
    CREATE TABLE idempotency_keys (
      workflow_id TEXT NOT NULL,
      key TEXT NOT NULL,
      body_hash TEXT NOT NULL,
      handoff_id TEXT NOT NULL,
      response TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      PRIMARY KEY (workflow_id, key)
    );
    CREATE INDEX idempotency_created ON idempotency_keys (created_at);
  `,
};
