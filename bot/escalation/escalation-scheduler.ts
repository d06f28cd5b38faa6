import type { ActionResult } from '../actions/action-types.js';
import type { ActionRequest } from '../actions/perform-action.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export interface EscalationSchedulerDeps {
  store: Store;
  clock: () => number;
  perform: (req: ActionRequest) => Promise<ActionResult>;
  logger: Logger;
  metrics: Metrics;
  /** Longest sleep between looks (a clock jump or a new due time is noticed by then). */
  maxSleepMs?: number;
}

/**
 * Auto-escalation of unclaimed handoffs. Due times live in `handoffs.escalate_due_at`, so a restart
 * catches up on whatever fell due while the bot was down. The due time the timer saw is its token:
 * the conditional UPDATE does nothing when a click (claim, manual escalate) got there first.
 */
export class EscalationScheduler {
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires, in clock ms. */
  private armedFor = Infinity;
  private running = false;
  /** A run is in progress: a wake-up meanwhile re-runs once it ends instead of overlapping it. */
  private busy: Promise<void> | null = null;
  private rerun = false;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly deps: EscalationSchedulerDeps) {}

  start(): void {
    this.running = true;
    this.unsubscribe = this.deps.store.commits.subscribe((n) => {
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

  /** A new handoff falls due at `at`: re-arm only when that is sooner than the armed timer. */
  dueAt(at: number | null): void {
    if (!this.running || at === null || at >= this.armedFor) return;
    this.schedule(Math.max(0, at - this.deps.clock()));
  }

  /** Escalates everything due now; returns how many escalated. */
  async runDue(): Promise<number> {
    const now = this.deps.clock();
    let escalated = 0;
    for (const row of await this.deps.store.handoffs.dueForEscalation(now, 200)) {
      const result = await this.deps.perform({ handoffId: row.id, action: 'escalate', actor: { kind: 'timer' }, expectedDueAt: row.escalateDueAt });
      if (result.ok) {
        escalated++;
        this.deps.metrics.escalations.inc({ trigger: 'auto' });
        this.deps.logger.info(
          { handoff_id: row.id, severity: result.handoff.severity, escalation_level: result.handoff.escalationLevel, trigger: 'auto' },
          'handoff auto-escalated',
        );
      }
    }
    return escalated;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = this.deps.clock() + delayMs;
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
    const max = this.deps.maxSleepMs ?? 30_000;
    let wait = max;
    try {
      await this.runDue();
      const next = await this.deps.store.handoffs.nextEscalationDueAt();
      if (next !== null) wait = Math.min(max, Math.max(10, next - this.deps.clock()));
    } catch (err) {
      this.deps.logger.error({ err_code: (err as { code?: string }).code ?? 'escalation_failed' }, 'escalation run failed');
    }
    if (this.running && (this.timer === null || this.armedFor > this.deps.clock() + wait)) this.schedule(wait);
  }
}
