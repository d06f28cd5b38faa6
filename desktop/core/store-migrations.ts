/**
 * Numbered migrations of the app's own SQLite file; `PRAGMA user_version` holds the
 * number of the last one applied. Append only: never edit a released migration.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'mirror',
    sql: `
      CREATE TABLE handoffs (
        id TEXT PRIMARY KEY,
        workflow_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        status TEXT NOT NULL,
        escalation_level INTEGER NOT NULL,
        received_at TEXT NOT NULL,
        last_seq INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        view_json TEXT NOT NULL
      ) STRICT;
      CREATE INDEX handoffs_status_idx ON handoffs (status, severity);
      CREATE TABLE announcements (
        handoff_id TEXT PRIMARY KEY,
        escalation_level INTEGER NOT NULL,
        announced_at INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'settings-and-stream-state',
    sql: `
      CREATE TABLE settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL) STRICT;
      CREATE TABLE stream_state (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
      CREATE TABLE secrets (name TEXT PRIMARY KEY, value BLOB NOT NULL) STRICT;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
