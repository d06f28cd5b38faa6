/**
 * Signatures seen recently, each until it expires. Only verified requests are added, so the size is
 * bounded by Slack's own request rate over the window; `maxEntries` bounds it anyway (oldest first).
 */
export class ReplayCache {
  private readonly entries = new Map<string, number>();
  private lastSweep = 0;

  constructor(private readonly maxEntries = 100_000) {}

  get size(): number {
    return this.entries.size;
  }

  /** Records `key` until `expiresAt`; false when it is already there and not yet expired (a replay). */
  add(key: string, expiresAt: number, now: number): boolean {
    this.sweep(now);
    const known = this.entries.get(key);
    if (known !== undefined && known > now) return false;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, expiresAt);
    return true;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [key, expiresAt] of this.entries) if (expiresAt <= now) this.entries.delete(key);
  }
}
