import type { Logger } from '../observability/logger.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** The SQLite file, used when no database URL is set. */
  file: string;
  /** HANDOFF_DATABASE_URL: PostgreSQL, shared by every bot process pointed at it. */
  databaseUrl: string | null;
  logger: Logger;
  /** Observes each SQLite group commit's size (metrics). */
  onBatch?: (size: number) => void;
}

/** The engine the settings ask for: PostgreSQL when a database URL is set, otherwise the SQLite file. */
export async function openStore(o: OpenStoreOptions): Promise<Store> {
  if (o.databaseUrl === null) return SqliteStore.open({ file: o.file, onBatch: o.onBatch });
  // Loaded only when asked for: a bot on SQLite never loads the PostgreSQL client.
  const { PostgresStore } = await import('./postgres/postgres-store.js');
  return PostgresStore.open({
    url: o.databaseUrl,
    onConnection: (state, errCode) => {
      if (state === 'lost') o.logger.warn({ err_code: errCode ?? 'connection_lost' }, 'database connection lost; reconnecting');
      else o.logger.info('database connection restored');
    },
  });
}
