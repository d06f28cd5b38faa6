import type { Workflow } from '../config/load-config.js';

/**
 * The `allowed_users` rule of docs/contract/slack.md#who-may-act: an empty list (or a workflow no longer in the config)
 * lets anyone who sees the card act. The same rule decides who sees a workflow's handoffs outside
 * its Slack channels: the Details modal, `/handoff status ho_…` and the desktop app.
 */
export function mayAct(workflow: Pick<Workflow, 'allowed_users'> | undefined, userId: string): boolean {
  return !workflow || workflow.allowed_users.length === 0 || workflow.allowed_users.includes(userId);
}
