import type { PgMigration } from './migration.js';

export const releaseReopenMigration: PgMigration = {
  version: 100,
  name: 'release-reopen',
  sql: `
    ALTER TABLE handoffs ADD COLUMN last_released_by TEXT;
    ALTER TABLE handoffs ADD COLUMN last_released_at BIGINT;
    ALTER TABLE handoffs ADD COLUMN reopened_by TEXT;
    ALTER TABLE handoffs ADD COLUMN reopened_at BIGINT;
  `,
};
