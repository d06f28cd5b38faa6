import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../bot/store/sqlite/migrate.js';
import { MIGRATIONS } from '../../bot/store/sqlite/migrations/index.js';
import { migratePostgres } from '../../bot/store/postgres/migrate.js';
import { PG_MIGRATIONS } from '../../bot/store/postgres/migrations/index.js';
import { createPool } from '../../bot/store/postgres/pool.js';
import { sharedPostgres } from '../support/shared-postgres.js';

/** Table -> sorted column names of a migrated SQLite database. */
function sqliteColumns(): Map<string, string[]> {
  const db = new Database(':memory:');
  migrate(db);
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
  const out = new Map(tables.map((t) => [t, (db.prepare(`PRAGMA table_info(${t})`).all() as { name: string }[]).map((c) => c.name).sort()]));
  db.close();
  return out;
}

describe('PostgreSQL migrations', () => {
  const server = sharedPostgres();

  it('has a PostgreSQL twin for every SQLite migration, under the same number', () => {
    const pgVersions = new Set(PG_MIGRATIONS.map((m) => m.version));
    for (const m of MIGRATIONS) expect(pgVersions.has(m.version), `SQLite migration ${m.version} ${m.name} has no PostgreSQL twin`).toBe(true);
    // PostgreSQL-only steps live in 0150-0159.
    for (const m of PG_MIGRATIONS) if (!MIGRATIONS.some((s) => s.version === m.version)) expect(m.version).toBeGreaterThanOrEqual(150);
  });

  it('builds every SQLite table with the same columns (plus the shared-work ones), once, when two processes start together', async () => {
    const url = await server.createDatabase();
    const pools = [createPool({ url }), createPool({ url })];
    try {
      const versions = await Promise.all(pools.map((p) => migratePostgres(p)));
      const latest = Math.max(...PG_MIGRATIONS.map((m) => m.version));
      expect(versions).toEqual([latest, latest]);
      const applied = await pools[0]!.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(applied.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // A restart migrates nothing more.
      expect(await migratePostgres(pools[1]!)).toBe(latest);

      const { rows } = await pools[0]!.query<{ table_name: string; column_name: string }>(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
      );
      const pgColumns = new Map<string, string[]>();
      for (const r of rows) pgColumns.set(r.table_name, [...(pgColumns.get(r.table_name) ?? []), r.column_name]);
      const pgOnly: Record<string, string[]> = { outbox: ['lease_owner', 'lease_until'] };
      for (const [table, columns] of sqliteColumns()) {
        const expected = [...columns, ...(pgOnly[table] ?? [])].sort();
        expect(pgColumns.get(table)?.sort(), table).toEqual(expected);
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('reads BIGINT times back as numbers', async () => {
    const url = await server.createDatabase();
    const pool = createPool({ url });
    try {
      await migratePostgres(pool);
      const { rows } = await pool.query<{ t: number; n: number }>('SELECT 1764547200000::bigint AS t, SUM(x)::numeric AS n FROM (VALUES (1), (2)) v(x)');
      expect(rows[0]).toEqual({ t: 1764547200000, n: 3 });
    } finally {
      await pool.end();
    }
  });
});
