import type { Migration } from './migration.js';

/** One row per week whose digest is due or posted: the primary key makes "once per week" a database fact. */
export const weeklyDigestsMigration: Migration = {
  version: 112,
  name: 'weekly-digests',
  up(db) {
    db.exec(`
      CREATE TABLE weekly_digests (
        week_start INTEGER PRIMARY KEY,
        channel TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'posted')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        last_error TEXT,
        posted_ts TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
