import type { Migration } from './migration.js';

export const idempotencyMigration: Migration = {
  version: 20,
  name: 'idempotency',
  up(db) {
    db.exec(`
      CREATE TABLE idempotency_keys (
        workflow_id TEXT NOT NULL,
        key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        handoff_id TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workflow_id, key)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX idempotency_created ON idempotency_keys (created_at);
    `);
  },
};
