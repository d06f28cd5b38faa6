import { codeOf } from '../../../shared/error-code.js';
import { StoreError } from '../store-error.js';

/** SQLSTATE classes that mean the server or the connection is (for now) not there: 08 connection, 53 resources, 57 operator intervention (shutdown), 40 rollbacks (serialization, deadlock). */
const UNAVAILABLE_CLASSES = ['08', '53', '57', '40'];

/** What node-postgres throws without a code when a connection is gone, times out or the pool is closed. */
const CONNECTION_GONE = /Connection terminated|connection error|not queryable|timeout exceeded|Query read timeout|after calling end on the pool/i;

/**
 * node-postgres errors as StoreErrors: a server error by its SQLSTATE (23505 unique violation), a
 * socket error (ECONNREFUSED, ECONNRESET...) or a lost connection as `unavailable`.
 */
export function pgStoreError(err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const detail = codeOf(err) ?? null;
  return new StoreError(pgCode(detail, err instanceof Error ? err.message : ''), detail, { cause: err });
}

/** The StoreError code of a node-postgres error's code (SQLSTATE or Node system code) and message. */
export function pgCode(detail: string | null, message: string): StoreError['code'] {
  if (detail === '23505') return 'duplicate';
  if (detail !== null && /^[0-9A-Z]{5}$/.test(detail) && !detail.startsWith('E')) return UNAVAILABLE_CLASSES.includes(detail.slice(0, 2)) ? 'unavailable' : 'failed';
  if (detail !== null && /^E[A-Z_]+$/.test(detail)) return 'unavailable';
  return CONNECTION_GONE.test(message) ? 'unavailable' : 'failed';
}
