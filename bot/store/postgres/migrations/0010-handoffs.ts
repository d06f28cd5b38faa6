import type { PgMigration } from './migration.js';

// Times are epoch milliseconds (BIGINT, read back as numbers); JSON columns stay TEXT as on SQLite.
export const handoffsMigration: PgMigration = {
  version: 10,
  name: 'handoffs',
  sql: `
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
      received_at BIGINT NOT NULL,
      claimed_by TEXT,
      claimed_at BIGINT,
      resolved_by TEXT,
      resolved_at BIGINT,
      last_escalated_by TEXT,
      last_escalated_at BIGINT,
      escalate_due_at BIGINT,
      version INTEGER NOT NULL DEFAULT 1,
      slack_channel TEXT,
      slack_ts TEXT,
      slack_permalink TEXT,
      erased_at BIGINT
    );
    CREATE INDEX handoffs_status_received ON handoffs (status, received_at);
    CREATE INDEX handoffs_claimed_by ON handoffs (claimed_by, status) WHERE claimed_by IS NOT NULL;
    CREATE INDEX handoffs_escalate_due ON handoffs (escalate_due_at) WHERE escalate_due_at IS NOT NULL;
    CREATE INDEX handoffs_resolved_at ON handoffs (resolved_at) WHERE erased_at IS NULL AND resolved_at IS NOT NULL;

    CREATE TABLE events (
      seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      type TEXT NOT NULL,
      actor TEXT,
      at BIGINT NOT NULL,
      data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_handoff ON events (handoff_id, seq);

    CREATE TABLE notes (
      id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      handoff_id TEXT NOT NULL REFERENCES handoffs (id),
      author TEXT NOT NULL,
      text TEXT,
      at BIGINT NOT NULL
    );
    CREATE INDEX notes_handoff ON notes (handoff_id);
  `,
};
