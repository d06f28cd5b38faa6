/** Exponential backoff with full jitter: 1 s, 2 s, 4 s … capped (5 min by default). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 1_000, capMs = 300_000): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20));
  return Math.max(baseMs / 2, Math.floor(ceiling / 2 + (random() * ceiling) / 2));
}
