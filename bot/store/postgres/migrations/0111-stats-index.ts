import type { PgMigration } from './migration.js';

export const statsIndexMigration: PgMigration = {
  version: 111,
  name: 'stats-index',
  sql: `
    DROP INDEX IF EXISTS handoffs_received_workflow;
    CREATE INDEX handoffs_stats ON handoffs (received_at, workflow_id, reason, first_claimed_at, resolved_at,
      escalation_level, status, outcome, call_status, first_claim_call_status);
  `,
};
