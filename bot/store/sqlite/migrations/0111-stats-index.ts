import type { Migration } from './migration.js';

/**
 * `/handoff stats` reads every handoff of a period (up to 100,000 and more): an index that holds every
 * column it reads answers from the index alone, without a table look-up per handoff.
 */
export const statsIndexMigration: Migration = {
  version: 111,
  name: 'stats-index',
  up(db) {
    db.exec(`
      DROP INDEX IF EXISTS handoffs_received_workflow;
      CREATE INDEX handoffs_stats ON handoffs (received_at, workflow_id, reason, first_claimed_at, resolved_at,
        escalation_level, status, outcome, call_status, first_claim_call_status);
    `);
  },
};
