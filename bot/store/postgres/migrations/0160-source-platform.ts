import type { PgMigration } from './migration.js';

/** Which voice platform a handoff's call came from, for its card (the SQLite twin says more). */
export const sourcePlatformMigration: PgMigration = {
  version: 160,
  name: 'source-platform',
  sql: `
    ALTER TABLE handoffs ADD COLUMN source_platform TEXT;
    UPDATE handoffs SET source_platform = (SELECT p.platform FROM provider_calls p WHERE p.handoff_id = handoffs.id LIMIT 1);
  `,
};
