import type { Migration } from './migration.js';

/**
 * docs/contract/regulated-workflows.md: the Details page's links. Only a hash of each token is kept (as for desktop tokens);
 * a link is single-use, bound to the Slack user who asked for it and, once opened, to that browser (a
 * hash of its cookie). No personal data: the page reads the handoff itself.
 */
export const detailsLinksMigration: Migration = {
  version: 180,
  name: 'details-links',
  up(db) {
    db.exec(`
      CREATE TABLE details_links (
        token_hash TEXT PRIMARY KEY,
        handoff_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        opened_at INTEGER,
        browser_hash TEXT
      ) STRICT;
      CREATE INDEX details_links_expires ON details_links (expires_at);
    `);
  },
};
