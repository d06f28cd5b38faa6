import type { Workflow } from '../../config/load-config.js';

/**
 * The `allowed_users` rule of SPEC section 5, as perform-action applies it: an
 * empty list (or a workflow no longer in the config) lets anyone who sees the card act.
 */
export function mayAct(workflow: Pick<Workflow, 'allowed_users'> | undefined, userId: string): boolean {
  return !workflow || workflow.allowed_users.length === 0 || workflow.allowed_users.includes(userId);
}
