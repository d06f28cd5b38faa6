import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { eraseExpired, type ErasureCounts } from './erase-expired.js';
import { codeOf } from '../../shared/error-code.js';

export interface RetentionJobDeps {
  store: Store;
  clock: () => number;
  logger: Logger;
  retentionDays: number;
  intervalMs?: number;
}

/** Runs the erasure at start and then every hour; logs counts only. */
export class RetentionJob {
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly deps: RetentionJobDeps) {}

  start(): void {
    void this.runOnce();
    this.timer = setInterval(() => void this.runOnce(), this.deps.intervalMs ?? 3_600_000);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  async runOnce(): Promise<ErasureCounts | null> {
    try {
      const counts = await eraseExpired(this.deps.store, this.deps.retentionDays, this.deps.clock());
      if (counts.handoffs > 0 || counts.idempotencyKeys > 0) {
        this.deps.logger.info({ erased_handoffs: counts.handoffs, erased_notes: counts.notes, pruned_keys: counts.idempotencyKeys }, 'retention run');
      }
      return counts;
    } catch (err) {
      this.deps.logger.error({ err_code: codeOf(err) ?? 'retention_failed' }, 'retention run failed');
      return null;
    }
  }
}
