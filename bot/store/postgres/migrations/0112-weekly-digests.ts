import type { PgMigration } from './migration.js';

export const weeklyDigestsMigration: PgMigration = {
  version: 112,
  name: 'weekly-digests',
  sql: `
    CREATE TABLE weekly_digests (
      week_start BIGINT PRIMARY KEY,
      channel TEXT NOT NULL,
      status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at BIGINT NOT NULL,
      last_error TEXT,
      posted_ts TEXT,
      created_at BIGINT NOT NULL
    );
  `,
};
