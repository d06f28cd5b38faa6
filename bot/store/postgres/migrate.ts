import type pg from 'pg';
import { PG_MIGRATIONS } from './migrations/index.js';
import type { PgMigration } from './migrations/migration.js';
import { checkOut, LOCK_NAMESPACE, LOCKS, lostError } from './pool.js';

/**
 * Applies each pending migration in its own transaction, holding a session advisory lock the whole
 * time: processes starting together wait for the first one and then find nothing left to do.
 * `schema_migrations` records each applied version. Returns the schema version.
 */
export async function migratePostgres(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<number> {
  const client = await checkOut(pool);
  let broken: Error | undefined;
  try {
    await client.query('SELECT pg_advisory_lock($1, $2)', [LOCK_NAMESPACE, LOCKS.migrate]);
    try {
      await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const { rows } = await client.query<{ v: number | null }>('SELECT MAX(version) AS v FROM schema_migrations');
      let current = rows[0]?.v ?? 0;
      for (const m of migrations) {
        if (m.version <= current) continue;
        await client.query('BEGIN');
        try {
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
        current = m.version;
      }
      return current;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, $2)', [LOCK_NAMESPACE, LOCKS.migrate]).catch((e: Error) => (broken = e));
    }
  } finally {
    client.release(broken ?? lostError(client));
  }
}
