import type { Migration } from './migration.js';

/**
 * At most one pending card edit per handoff: the edit renders the handoff as it is when it goes out, so
 * a burst of changes needs one (enqueueOutbox's ON CONFLICT DO NOTHING skips the rest), and a burst
 * cannot fill the shared chat.update pace ahead of other cards' edits. Extra pending edits of older
 * versions are dropped first: each would only have redrawn the same card.
 */
export const oneCardEditMigration: Migration = {
  version: 170,
  name: 'one-card-edit',
  up(db) {
    db.exec(`
      UPDATE outbox SET status = 'done', done_at = created_at
        WHERE kind = 'slack.update_card' AND status = 'pending'
          AND id NOT IN (SELECT MIN(id) FROM outbox WHERE kind = 'slack.update_card' AND status = 'pending' GROUP BY handoff_id);
      CREATE UNIQUE INDEX outbox_one_card_edit ON outbox (handoff_id) WHERE kind = 'slack.update_card' AND status = 'pending';
    `);
  },
};
