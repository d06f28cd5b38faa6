import type { Migration } from './migration.js';

/**
 * Where each note's thread reply went, so retention can delete it from Slack (chat.delete) and
 * remember that it did: a note's text is personal data, in the thread as much as in this file.
 */
export const noteMessagesMigration: Migration = {
  version: 140,
  name: 'note-messages',
  up(db) {
    db.exec(`
      ALTER TABLE notes ADD COLUMN slack_channel TEXT;
      ALTER TABLE notes ADD COLUMN slack_ts TEXT;
      ALTER TABLE notes ADD COLUMN slack_deleted_at INTEGER;
    `);
  },
};
