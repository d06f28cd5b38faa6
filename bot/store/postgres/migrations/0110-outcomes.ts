import type { PgMigration } from './migration.js';

export const outcomesMigration: PgMigration = {
  version: 110,
  name: 'outcomes',
  sql: `
    ALTER TABLE handoffs ADD COLUMN outcome TEXT;
    ALTER TABLE handoffs ADD COLUMN first_claimed_at BIGINT;
    ALTER TABLE handoffs ADD COLUMN first_claim_call_status TEXT;
    UPDATE handoffs SET outcome = 'handled' WHERE status = 'resolved';
    UPDATE handoffs SET first_claimed_at = claimed_at, first_claim_call_status = call_status WHERE claimed_at IS NOT NULL;
    CREATE INDEX handoffs_received_workflow ON handoffs (received_at, workflow_id, reason);
  `,
};
