import { codeOf } from '../../../shared/error-code.js';
import { StoreError } from '../store-error.js';

/**
 * SQLite's result codes (better-sqlite3's `err.code`, e.g. SQLITE_CONSTRAINT_PRIMARYKEY) and the writer
 * thread's own (`writer_died`, `writer_closed`) as StoreErrors.
 */
export function sqliteStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  // better-sqlite3 says so without a code once its connection is closed (the store was closed).
  if (err instanceof TypeError && /connection is not open/.test(err.message)) return new StoreError('unavailable', 'closed', { cause: err });
  const detail = codeOf(err) ?? null;
  return new StoreError(sqliteCode(detail), detail, { cause: err });
}

/** The StoreError code of one SQLite or writer-thread code. */
export function sqliteCode(detail: string | null): StoreError['code'] {
  if (detail === null) return 'failed';
  if (detail.startsWith('SQLITE_CONSTRAINT_PRIMARYKEY') || detail.startsWith('SQLITE_CONSTRAINT_UNIQUE')) return 'duplicate';
  if (/^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|PROTOCOL|NOLFS)/.test(detail) || detail === 'writer_died' || detail === 'writer_closed') return 'unavailable';
  return 'failed';
}
