import type { Migration } from './migration.js';

export const desktopMigration: Migration = {
  version: 40,
  name: 'desktop',
  up(db) {
    db.exec(`
      CREATE TABLE desktop_pairing_codes (
        code_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE TABLE desktop_tokens (
        token_hash TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        device_name TEXT,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX desktop_tokens_user ON desktop_tokens (user_id);
    `);
  },
};
