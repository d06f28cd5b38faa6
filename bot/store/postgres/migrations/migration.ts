/**
 * One numbered PostgreSQL schema step. Versions match the SQLite migrations (`../../sqlite/migrations/`) so
 * both engines report the same schema version; 0150-0159 are PostgreSQL-only steps.
 */
export interface PgMigration {
  version: number;
  name: string;
  sql: string;
}
