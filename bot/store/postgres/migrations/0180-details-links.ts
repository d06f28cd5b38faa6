import type { PgMigration } from './migration.js';

/** The twin of SQLite's 0180: the Details page's single-use links, by token hash (docs/contract/regulated-workflows.md). */
export const detailsLinksMigration: PgMigration = {
  version: 180,
  name: 'details-links',
  sql: `
    CREATE TABLE details_links (
      token_hash TEXT PRIMARY KEY,
      handoff_id TEXT NOT NULL,
      user_id TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      opened_at BIGINT,
      browser_hash TEXT
    );
    CREATE INDEX details_links_expires ON details_links (expires_at);
  `,
};
