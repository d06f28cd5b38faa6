/** What a probe may answer: anything falsy means "not yet". */
type Probed<T> = T | undefined | null | false | 0 | '';

/**
 * The one polling helper of the tests. Polls `probe` (sync or async) every 10 ms until it returns
 * something truthy and resolves with that value; rejects naming `what` once `timeoutMs` has passed.
 * Tests wait on real I/O this way instead of sleeping for a guessed time.
 */
export async function until<T>(probe: () => Probed<T> | Promise<Probed<T>>, timeoutMs = 5_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * `until` for assertions: polls until `check` stops throwing (a `false` answer counts as not yet);
 * on timeout rejects with the check's last error, so the failure shows what was expected.
 */
export async function untilPasses(check: () => unknown, timeoutMs = 5_000): Promise<void> {
  let last: unknown = new Error('check returned false');
  try {
    await until(() => {
      try {
        if (check() === false) return false;
        return true;
      } catch (err) {
        last = err;
        return false;
      }
    }, timeoutMs);
  } catch {
    throw last;
  }
}
