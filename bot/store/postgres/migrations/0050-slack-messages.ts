import type { PgMigration } from './migration.js';

export const slackMessagesMigration: PgMigration = {
  version: 50,
  name: 'slack-messages',
  sql: `
    CREATE TABLE slack_escalation_messages (
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      level INTEGER NOT NULL,
      channel TEXT NOT NULL,
      ts TEXT NOT NULL,
      PRIMARY KEY (handoff_id, level)
    );
  `,
};
