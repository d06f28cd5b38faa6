import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrate.js';

export type Db = Database.Database;

/**
 * Opens the bot's database: WAL for concurrent readers, synchronous=FULL so a committed
 * handoff survives a power cut (docs/contract/http-api.md#durability), and all migrations applied.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // Erased personal data must not linger in free pages of the file (retention, docs/contract/privacy-and-reliability.md#retention).
  db.pragma('secure_delete = ON');
  migrate(db);
  return db;
}
