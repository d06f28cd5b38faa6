import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { codeOf } from '../../shared/error-code.js';

export interface DueSchedulerDeps {
  store: Store;
  clock: () => number;
  logger: Logger;
  /** Longest sleep between looks (a clock jump or a new due time is noticed by then). */
  maxSleepMs?: number;
}

/**
 * A timer over due times kept in the database (escalations, reminders): it sleeps until the next one,
 * re-arms when a commit may have set a sooner one, and catches up after a restart on whatever fell
 * due meanwhile. Runs never overlap; the work itself is a conditional change, so a stale look does nothing.
 */
export abstract class DueScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires, in clock ms. */
  private armedFor = Infinity;
  private running = false;
  /** A run is in progress: a wake-up meanwhile re-runs once it ends instead of overlapping it. */
  private busy: Promise<void> | null = null;
  private rerun = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly base: DueSchedulerDeps,
    /** What is logged when a run fails. */
    private readonly failure: { code: string; message: string },
  ) {}

  /** Does everything due now; returns how much it did. */
  abstract runDue(): Promise<number>;

  /** The next due time in the database, if any. */
  protected abstract nextDueAt(): Promise<number | null>;

  start(): void {
    this.running = true;
    this.unsubscribe = this.base.store.commits.subscribe((n) => {
      for (const at of n.dueAt) this.dueAt(at);
      if (n.dueChanged) this.wake();
    });
    this.schedule(0);
  }

  /** Stops the timer; resolves when a run in progress has ended. */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.busy;
  }

  /** Re-reads the next due time (call after a state change that may set or clear one). */
  wake(): void {
    if (this.running) this.schedule(0);
  }

  /** Something falls due at `at`: re-arm only when that is sooner than the armed timer. */
  dueAt(at: number | null): void {
    if (!this.running || at === null || at >= this.armedFor) return;
    this.schedule(Math.max(0, at - this.base.clock()));
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = this.base.clock() + delayMs;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = Infinity;
      if (!this.running) return;
      if (this.busy) {
        this.rerun = true;
        return;
      }
      this.busy = this.run().finally(() => {
        this.busy = null;
        if (this.rerun && this.running) this.schedule(0);
        this.rerun = false;
      });
    }, delayMs);
  }

  private async run(): Promise<void> {
    const max = this.base.maxSleepMs ?? 30_000;
    let wait = max;
    try {
      await this.runDue();
      const next = await this.nextDueAt();
      if (next !== null) wait = Math.min(max, Math.max(10, next - this.base.clock()));
    } catch (err) {
      this.base.logger.error({ err_code: codeOf(err) ?? this.failure.code }, this.failure.message);
    }
    if (this.running && (this.timer === null || this.armedFor > this.base.clock() + wait)) this.schedule(wait);
  }
}
