import type Database from 'better-sqlite3';

/** One numbered SQLite schema step; `user_version` records the last one applied. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
