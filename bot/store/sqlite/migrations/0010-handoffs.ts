import type { Migration } from './migration.js';

export const handoffsMigration: Migration = {
  version: 10,
  name: 'handoffs',
  up(db) {
    db.exec(`
      CREATE TABLE handoffs (
        id TEXT PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('low','normal','high','urgent')),
        status TEXT NOT NULL CHECK (status IN ('open','claimed','resolved')),
        escalation_level INTEGER NOT NULL DEFAULT 0,
        call_status TEXT NOT NULL,
        caller_id TEXT,
        structured_fields TEXT,
        caller_message TEXT,
        webhook_url TEXT,
        callbacks_enabled INTEGER NOT NULL,
        callbacks_off_reason TEXT,
        notify TEXT NOT NULL,
        owner_notified TEXT NOT NULL,
        signature_status TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        claimed_by TEXT,
        claimed_at INTEGER,
        resolved_by TEXT,
        resolved_at INTEGER,
        last_escalated_by TEXT,
        last_escalated_at INTEGER,
        escalate_due_at INTEGER,
        version INTEGER NOT NULL DEFAULT 1,
        slack_channel TEXT,
        slack_ts TEXT,
        slack_permalink TEXT,
        erased_at INTEGER
      ) STRICT;
      CREATE INDEX handoffs_status_received ON handoffs (status, received_at);
      CREATE INDEX handoffs_claimed_by ON handoffs (claimed_by, status) WHERE claimed_by IS NOT NULL;
      CREATE INDEX handoffs_escalate_due ON handoffs (escalate_due_at) WHERE escalate_due_at IS NOT NULL;
      CREATE INDEX handoffs_resolved_at ON handoffs (resolved_at) WHERE erased_at IS NULL AND resolved_at IS NOT NULL;

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        type TEXT NOT NULL,
        actor TEXT,
        at INTEGER NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
      ) STRICT;
      CREATE INDEX events_handoff ON events (handoff_id, seq);

      CREATE TABLE notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        handoff_id TEXT NOT NULL REFERENCES handoffs (id),
        author TEXT NOT NULL,
        text TEXT,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX notes_handoff ON notes (handoff_id);
    `);
  },
};
