import type { ActionResult } from '../actions/action-types.js';
import type { ActionRequest } from '../actions/perform-action.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export interface EscalationSchedulerDeps {
  store: Store;
  clock: () => number;
  perform: (req: ActionRequest) => ActionResult;
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
  private readonly dueStmt;
  private readonly nextStmt;

  constructor(private readonly deps: EscalationSchedulerDeps) {
    this.dueStmt = deps.store.db.prepare<[number], { id: string; escalate_due_at: number }>(
      "SELECT id, escalate_due_at FROM handoffs WHERE escalate_due_at IS NOT NULL AND escalate_due_at <= ? AND status = 'open' ORDER BY escalate_due_at LIMIT 200",
    );
    this.nextStmt = deps.store.db.prepare<[], { at: number | null }>('SELECT MIN(escalate_due_at) AS at FROM handoffs WHERE escalate_due_at IS NOT NULL');
  }

  start(): void {
    this.running = true;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
  runDue(): number {
    const now = this.deps.clock();
    let escalated = 0;
    for (const row of this.dueStmt.all(now)) {
      const result = this.deps.perform({ handoffId: row.id, action: 'escalate', actor: { kind: 'timer' }, expectedDueAt: row.escalate_due_at });
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
      try {
        this.runDue();
      } catch (err) {
        this.deps.logger.error({ err_code: (err as { code?: string }).code ?? 'escalation_failed' }, 'escalation run failed');
      }
      const next = this.nextStmt.get()?.at ?? null;
      const max = this.deps.maxSleepMs ?? 30_000;
      const wait = next === null ? max : Math.min(max, Math.max(10, next - this.deps.clock()));
      if (this.running) this.schedule(wait);
    }, delayMs);
  }
}
