import type { Migration } from './migration.js';

/**
 * Call back and claim-to-connect (docs/contract/reaching-the-caller.md): whether a live caller is waiting on the line for a Claim, until
 * when, and how the wait ended. Persisted so a card tells the truth after a restart: a wait whose
 * `connect_waiting_until` passed with nobody holding the request is shown, and then recorded, as over.
 */
export const connectMigration: Migration = {
  version: 80,
  name: 'connect',
  up(db) {
    db.exec(`
      ALTER TABLE handoffs ADD COLUMN connect_state TEXT
        CHECK (connect_state IN ('waiting', 'connected', 'no_phone', 'timed_out', 'closed'));
      ALTER TABLE handoffs ADD COLUMN connect_waiting_since INTEGER;
      ALTER TABLE handoffs ADD COLUMN connect_waiting_until INTEGER;
      ALTER TABLE handoffs ADD COLUMN connect_user TEXT;
      CREATE INDEX handoffs_connect_waiting ON handoffs (connect_waiting_until) WHERE connect_state = 'waiting';

      -- The Twilio calls Call back placed, one per outbox row: a retry that finds a call in Twilio's
      -- list it cannot match to a row here knows its own earlier attempt got through.
      CREATE TABLE call_backs (
        outbox_id INTEGER PRIMARY KEY REFERENCES outbox (id),
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        call_sid TEXT NOT NULL UNIQUE,
        placed_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
