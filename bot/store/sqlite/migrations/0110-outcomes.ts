import type { Migration } from './migration.js';

/**
 * What `/handoff stats` and App Home measure (docs/contract/outcomes.md): the outcome a resolve records, the
 * first claim (a release and a second claim must not reset time to claim) and the call status at that
 * first claim (a caller who hung up before anyone claimed). One index serves every stats period query.
 */
export const outcomesMigration: Migration = {
  version: 110,
  name: 'outcomes',
  up(db) {
    db.exec(`
      ALTER TABLE handoffs ADD COLUMN outcome TEXT;
      ALTER TABLE handoffs ADD COLUMN first_claimed_at INTEGER;
      ALTER TABLE handoffs ADD COLUMN first_claim_call_status TEXT;
      UPDATE handoffs SET outcome = 'handled' WHERE status = 'resolved';
      UPDATE handoffs SET first_claimed_at = claimed_at, first_claim_call_status = call_status WHERE claimed_at IS NOT NULL;
      CREATE INDEX handoffs_received_workflow ON handoffs (received_at, workflow_id, reason);
    `);
  },
};
