import { inject } from 'vitest';
import { databasesOn, type PostgresDatabases } from './postgres.js';

/**
 * The run's shared PostgreSQL server, started once by the vitest global setup of the project the
 * test file runs in (test/support/postgres-global-setup.ts); a database per test, from `createDatabase`.
 * Apart from bench/ and the tests that stop the server, this is how a test reaches PostgreSQL.
 */
export function sharedPostgres(): PostgresDatabases {
  const port = inject('postgresPort');
  if (typeof port !== 'number') throw new Error('no shared PostgreSQL server: this test file must run in a vitest project whose globalSetup is test/support/postgres-global-setup.ts');
  return databasesOn(port);
}
