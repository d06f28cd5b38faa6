/** Polls until `check` passes (tests only); fails with the last error after `timeoutMs`. */
export async function waitFor(check: () => void | boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check() !== false) return;
      if (Date.now() > deadline) throw new Error('waitFor: condition still false');
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
