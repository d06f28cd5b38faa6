import type { ActionResult } from '../actions/action-types.js';
import type { ActionRequest } from '../actions/perform-action.js';
import type { Metrics } from '../observability/metrics.js';
import { DueScheduler, type DueSchedulerDeps } from './due-scheduler.js';

export interface EscalationSchedulerDeps extends DueSchedulerDeps {
  perform: (req: ActionRequest) => Promise<ActionResult>;
  metrics: Metrics;
}

/**
 * Auto-escalation of unclaimed handoffs up the workflow's ladder. Due times live in
 * `handoffs.escalate_due_at`, so a restart catches up on whatever fell due while the bot was down.
 * The due time the timer saw is its token: the conditional UPDATE does nothing when a click (claim,
 * manual escalate) got there first.
 */
export class EscalationScheduler extends DueScheduler {
  constructor(private readonly deps: EscalationSchedulerDeps) {
    super(deps, { code: 'escalation_failed', message: 'escalation run failed' });
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

  protected nextDueAt(): Promise<number | null> {
    return this.deps.store.handoffs.nextEscalationDueAt();
  }
}
