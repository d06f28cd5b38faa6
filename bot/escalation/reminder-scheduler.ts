import type { HandoffConfig } from '../config/load-config.js';
import type { NewOutboxItem } from '../store/records.js';
import { DueScheduler, type DueSchedulerDeps } from './due-scheduler.js';

export interface ReminderSchedulerDeps extends DueSchedulerDeps {
  config: HandoffConfig;
}

/** A reminder is a reply in the card's thread, paced with the card's channel. */
function reminderRow(payload: Record<string, unknown>, channel: string | null, ownerChannel: string | undefined): NewOutboxItem {
  return { kind: 'slack.remind', payload, paceKey: `slack:${channel ?? ownerChannel ?? ''}` };
}

/**
 * Reminders (docs/contract/storms-ladder-hours.md#reminders). A claimed handoff not resolved `remind_after` after its claim gets a
 * threaded reminder to its claimer, once per period until it is resolved or released (both clear
 * `remind_due_at`); a caller who hung up waiting before anyone claimed gets one "call back" reminder.
 * Each is queued in the outbox together with the change that marks it queued: once, across restarts.
 */
export class ReminderScheduler extends DueScheduler {
  constructor(private readonly deps: ReminderSchedulerDeps) {
    super(deps, { code: 'reminder_failed', message: 'reminder run failed' });
  }

  /** Queues every reminder due now; returns how many. */
  async runDue(): Promise<number> {
    const { store, config, logger } = this.deps;
    const now = this.deps.clock();
    let queued = 0;
    for (const due of await store.reminders.dueClaims(now, 200)) {
      const workflow = config.workflows.get(due.workflowId);
      const period = workflow?.remind_after;
      // The next one a full period from now: a bot that was down long sends one reminder, not a burst.
      const nextDueAt = period === undefined ? null : now + period;
      const rows = period === undefined ? [] : [reminderRow({ reminder: 'claim', claimant: due.claimant }, due.slackChannel, workflow?.owner_channel)];
      if ((await store.reminders.remindClaimer(due.id, { claimant: due.claimant, expectedDueAt: due.remindDueAt, nextDueAt, now }, rows)) && rows.length > 0) {
        queued++;
        logger.info({ handoff_id: due.id, workflow_id: due.workflowId, reminder: 'claim' }, 'reminder queued');
      }
    }
    for (const due of await store.reminders.dueCallBacks(200)) {
      const workflow = config.workflows.get(due.workflowId);
      if (await store.reminders.remindCallBack(due.id, now, [reminderRow({ reminder: 'call_back' }, due.slackChannel, workflow?.owner_channel)])) {
        queued++;
        logger.info({ handoff_id: due.id, workflow_id: due.workflowId, reminder: 'call_back' }, 'reminder queued');
      }
    }
    return queued;
  }

  protected nextDueAt(): Promise<number | null> {
    return this.deps.store.reminders.nextDueAt();
  }
}
