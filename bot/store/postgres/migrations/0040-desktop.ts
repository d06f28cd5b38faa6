import type { PgMigration } from './migration.js';

export const desktopMigration: PgMigration = {
  version: 40,
  name: 'desktop',
  sql: `
    CREATE TABLE desktop_pairing_codes (
      code_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      created_at BIGINT NOT NULL,
      expires_at BIGINT NOT NULL,
      used_at BIGINT
    );
    CREATE TABLE desktop_tokens (
      token_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      device_name TEXT,
      created_at BIGINT NOT NULL,
      last_used_at BIGINT,
      revoked_at BIGINT
    );
    CREATE INDEX desktop_tokens_user ON desktop_tokens (user_id);
  `,
};
