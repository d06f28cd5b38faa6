import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { eraseExpired } from './erase-expired.js';

export interface RetentionJobDeps {
  store: Store;
  clock: () => number;
  logger: Logger;
  retentionDays: number;
  intervalMs?: number;
  onErased?: () => void;
}

/** Runs the erasure at start and then every hour; logs counts only. */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RetentionJobDeps) {}

  start(): void {
    this.runOnce();
    this.timer = setInterval(() => this.runOnce(), this.deps.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  runOnce(): ReturnType<typeof eraseExpired> | null {
    try {
      const counts = eraseExpired(this.deps.store, this.deps.retentionDays, this.deps.clock());
      if (counts.handoffs > 0 || counts.idempotencyKeys > 0) {
        this.deps.logger.info({ erased_handoffs: counts.handoffs, erased_notes: counts.notes, pruned_keys: counts.idempotencyKeys }, 'retention run');
        if (counts.handoffs > 0) this.deps.onErased?.();
      }
      return counts;
    } catch (err) {
      this.deps.logger.error({ err_code: (err as { code?: string }).code ?? 'retention_failed' }, 'retention run failed');
      return null;
    }
  }
}
