import type { Migration } from './migration.js';

/**
 * The escalation ladder: the severity a handoff had before its first escalation raised it, so its
 * card can say "raised from High to Urgent" on every later edit (issue #13 item 9).
 */
export const ladderMigration: Migration = {
  version: 120,
  name: 'ladder',
  up(db) {
    db.exec(`ALTER TABLE handoffs ADD COLUMN severity_before_escalation TEXT;`);
  },
};
