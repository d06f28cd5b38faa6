/**
 * Why a store call failed, the same on every engine: each engine maps its driver's errors to these at
 * its edge (`withStoreErrors`), so nothing outside `bot/store/` reads a driver's codes.
 * - `duplicate`: a uniqueness rule refused the write (another request or process stored the same key first);
 * - `unavailable`: the database did not answer or went away (nothing was kept, or whether it was is
 *   unknown): try again later;
 * - `failed`: anything else the database refused.
 */
export type StoreErrorCode = 'duplicate' | 'unavailable' | 'failed';

export class StoreError extends Error {
  override readonly name = 'StoreError';

  /** `detail`: the driver's own code (SQLITE_BUSY, 23505, ECONNREFUSED, writer_died...), for tests and debugging. */
  constructor(
    readonly code: StoreErrorCode,
    readonly detail: string | null,
    options?: { cause?: unknown },
  ) {
    super(`store ${code}${detail ? ` (${detail})` : ''}`, options);
  }
}

/** Whether `err` is a StoreError (of `code`, when given). */
export function isStoreError(err: unknown, code?: StoreErrorCode): err is StoreError {
  return err instanceof StoreError && (code === undefined || err.code === code);
}
