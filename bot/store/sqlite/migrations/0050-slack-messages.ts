import type { Migration } from './migration.js';

/** The escalation-channel messages of each handoff, so card updates reach them too. */
export const slackMessagesMigration: Migration = {
  version: 50,
  name: 'slack-messages',
  up(db) {
    db.exec(`
      CREATE TABLE slack_escalation_messages (
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        level INTEGER NOT NULL,
        channel TEXT NOT NULL,
        ts TEXT NOT NULL,
        PRIMARY KEY (handoff_id, level)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
