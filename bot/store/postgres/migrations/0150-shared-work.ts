import type { PgMigration } from './migration.js';

/**
 * What several processes need to share work (SQLite has one process): a lease on each outbox row being
 * delivered (its owner, whose session holds an advisory lock while it lives, and a time after which it
 * lapses anyway) and each pace key's next free send slot, so a channel's 1 message/s holds across them.
 */
export const sharedWorkMigration: PgMigration = {
  version: 150,
  name: 'shared-work',
  sql: `
    ALTER TABLE outbox ADD COLUMN lease_owner INTEGER;
    ALTER TABLE outbox ADD COLUMN lease_until BIGINT;
    CREATE TABLE pace_slots (
      pace_key TEXT PRIMARY KEY,
      next_at BIGINT NOT NULL
    );
  `,
};
