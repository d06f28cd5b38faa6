import type { Store } from '../store/store.js';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  onBatch?: (size: number) => void;
}

/**
 * Group commit: the writes of every request that arrives while a commit is in flight go into
 * the next transaction together, so one fsync serves many handoffs. Each caller's promise settles
 * only after the transaction holding its writes has committed. A unit that throws is rolled back
 * to its savepoint alone; the rest of the batch still commits.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly maxBatch: number;
  /** Inside the batch's transaction better-sqlite3 runs this as a SAVEPOINT, with cached statements. */
  private readonly unit;
  private readonly commitBatch;

  constructor(
    private readonly store: Store,
    private readonly options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 512;
    this.unit = store.db.transaction((work: () => unknown) => work());
    this.commitBatch = store.db.transaction((batch: Pending[], results: { ok: boolean; value: unknown }[]) => {
      for (const item of batch) {
        try {
          results.push({ ok: true, value: this.unit(item.work) });
        } catch (err) {
          results.push({ ok: false, value: err });
        }
      }
    });
  }

  submit<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after pending I/O callbacks: requests already read join this batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    this.scheduled = false;
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    const results: { ok: boolean; value: unknown }[] = [];
    try {
      this.commitBatch.immediate(batch, results);
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    this.options.onBatch?.(batch.length);
    batch.forEach((item, i) => {
      const r = results[i]!;
      if (r.ok) item.resolve(r.value);
      else item.reject(r.value);
    });
  }
}
