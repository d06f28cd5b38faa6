import type { PgMigration } from './migration.js';

export const noteMessagesMigration: PgMigration = {
  version: 140,
  name: 'note-messages',
  sql: `
    ALTER TABLE notes ADD COLUMN slack_channel TEXT;
    ALTER TABLE notes ADD COLUMN slack_ts TEXT;
    ALTER TABLE notes ADD COLUMN slack_deleted_at BIGINT;
  `,
};
