import type { Migration } from './migration.js';

/**
 * Which voice platform a handoff's call came from (`retell`, `vapi`, `elevenlabs`, `twilio`; null for
 * `/v1/handoffs`), so its card can say so. Handoffs made before are filled from their platform call.
 */
export const sourcePlatformMigration: Migration = {
  version: 160,
  name: 'source-platform',
  up(db) {
    db.exec(`
      ALTER TABLE handoffs ADD COLUMN source_platform TEXT;
      UPDATE handoffs SET source_platform = (SELECT p.platform FROM provider_calls p WHERE p.handoff_id = handoffs.id LIMIT 1);
    `);
  },
};
