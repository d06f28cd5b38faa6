import type { PgMigration } from './migration.js';

export const ladderMigration: PgMigration = {
  version: 120,
  name: 'ladder',
  sql: 'ALTER TABLE handoffs ADD COLUMN severity_before_escalation TEXT;',
};
