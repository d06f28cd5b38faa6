import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Port of the run's shared PostgreSQL server (see `sharedPostgres` in shared-postgres.ts). */
    postgresPort: number;
  }
}

/**
 * vitest global setup: one PostgreSQL server for the whole run instead of an `initdb` per test file
 * (each file takes its own databases on it). Stopped and removed when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('postgresPort', server.port);
  return () => server.stop();
}
