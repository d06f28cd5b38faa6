import type { Migration } from './migration.js';

/** Who last released or reopened a handoff, so its card keeps a trace of both. */
export const releaseReopenMigration: Migration = {
  version: 100,
  name: 'release-reopen',
  up(db) {
    db.exec(`
      ALTER TABLE handoffs ADD COLUMN last_released_by TEXT;
      ALTER TABLE handoffs ADD COLUMN last_released_at INTEGER;
      ALTER TABLE handoffs ADD COLUMN reopened_by TEXT;
      ALTER TABLE handoffs ADD COLUMN reopened_at INTEGER;
    `);
  },
};
