/**
 * Group commit for accepted handoffs. Every commit on PostgreSQL holds the event-order lock through its
 * fsync, so one transaction per handoff caps intake at one fsync per handoff for all processes
 * together. Handoffs that arrive while a commit is in flight wait for it and then commit together,
 * in one transaction, each in a savepoint of its own: one that fails (its idempotency key or platform
 * call taken by another request) is rolled back alone and answered with its own error.
 */
export class AcceptBatcher<U> {
  private queue: { unit: U; resolve: () => void; reject: (err: unknown) => void }[] = [];
  private draining = false;

  /**
   * `commit` stores the batch in one transaction and resolves with each unit's own error (null when it
   * was stored); it rejects when the transaction as a whole failed.
   */
  constructor(
    private readonly commit: (batch: readonly U[]) => Promise<readonly (unknown | null)[]>,
    private readonly maxBatch = 64,
  ) {}

  /** Resolves once `unit` is committed (durably), rejects with why it was not. */
  submit(unit: U): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ unit, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        try {
          const errors = await this.commit(batch.map((p) => p.unit));
          batch.forEach((p, i) => (errors[i] ? p.reject(errors[i]) : p.resolve()));
        } catch (err) {
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
