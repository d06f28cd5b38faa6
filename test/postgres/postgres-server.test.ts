import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../support/postgres.js';

// The helper every PostgreSQL test stands on: a real server, isolated databases, a restart keeps data.
describe('test PostgreSQL server', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves isolated databases on loopback and keeps committed rows across a restart', async () => {
    const a = await server.createDatabase();
    const b = await server.createDatabase();
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    await client.query('CREATE TABLE t (v INTEGER)');
    await client.query('INSERT INTO t VALUES (42)');
    await client.end();

    await server.stopServer();
    await server.startServer();

    const again = new pg.Client({ connectionString: a });
    await again.connect();
    const { rows } = await again.query<{ v: number }>('SELECT v FROM t');
    await again.end();
    expect(rows).toEqual([{ v: 42 }]);

    const other = new pg.Client({ connectionString: b });
    await other.connect();
    const { rows: tables } = await other.query("SELECT 1 FROM pg_tables WHERE tablename = 't'");
    await other.end();
    expect(tables).toHaveLength(0);
  });
});
