import type { PgMigration } from './migration.js';

export const providerCallsMigration: PgMigration = {
  version: 70,
  name: 'provider-calls',
  sql: `
    CREATE TABLE provider_calls (
      workflow_id TEXT NOT NULL,
      platform TEXT NOT NULL,
      call_id TEXT NOT NULL,
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      created_at BIGINT NOT NULL,
      PRIMARY KEY (workflow_id, platform, call_id)
    );
    CREATE INDEX provider_calls_handoff ON provider_calls (handoff_id);
    ALTER TABLE handoffs ADD COLUMN intake_issues TEXT;
    ALTER TABLE handoffs ADD COLUMN call_summary TEXT;
    ALTER TABLE handoffs ADD COLUMN caller_hung_up_at BIGINT;
  `,
};
