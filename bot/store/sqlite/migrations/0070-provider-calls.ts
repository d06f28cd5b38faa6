import type { Migration } from './migration.js';

/**
 * Native intake from voice platforms (docs/contract/voice-platforms.md): one handoff per platform call, what was wrong
 * with a live caller's request (`intake_issues`, JSON of {path, message}: names and rules, never
 * values), the platform's call summary (personal data, erased by retention) and when the caller
 * hung up before anyone claimed.
 */
export const providerCallsMigration: Migration = {
  version: 70,
  name: 'provider-calls',
  up(db) {
    db.exec(`
      CREATE TABLE provider_calls (
        workflow_id TEXT NOT NULL,
        platform TEXT NOT NULL,
        call_id TEXT NOT NULL,
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (workflow_id, platform, call_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX provider_calls_handoff ON provider_calls (handoff_id);
      ALTER TABLE handoffs ADD COLUMN intake_issues TEXT;
      ALTER TABLE handoffs ADD COLUMN call_summary TEXT;
      ALTER TABLE handoffs ADD COLUMN caller_hung_up_at INTEGER;
    `);
  },
};
