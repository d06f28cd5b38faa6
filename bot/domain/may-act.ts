import type { HandoffConfig, Workflow } from '../config/load-config.js';

/** What `mayAct` reads of the config: the workflows and who may see handoffs of workflows no longer in it. */
export type AccessConfig = Pick<HandoffConfig, 'workflows' | 'retiredWorkflowsVisibleTo'>;

/**
 * The `allowed_users` rule of docs/contract/slack.md#who-may-act: an empty list lets anyone who sees the card act. The same
 * rule decides who sees a workflow's handoffs outside its Slack channels: the Details modal,
 * `/handoff status`, App Home and the desktop app. A workflow no longer in the config fails closed: its
 * `allowed_users` went with it, so only the people `retired_workflows_visible_to` names (default
 * nobody) may see or act on its handoffs.
 */
export function mayAct(config: AccessConfig, workflowId: string, userId: string): boolean {
  const workflow = config.workflows.get(workflowId);
  if (!workflow) return (config.retiredWorkflowsVisibleTo ?? []).includes(userId);
  return mayActOn(workflow, userId);
}

/** `allowed_users` of a configured workflow: empty = anyone. */
export function mayActOn(workflow: Pick<Workflow, 'allowed_users'>, userId: string): boolean {
  return workflow.allowed_users.length === 0 || workflow.allowed_users.includes(userId);
}

/**
 * The handoffs a user may see in lists and counts, as one filter the store applies: `only` these
 * workflow ids, or every workflow `except` these (a user who may see retired workflows: any id that
 * is not a configured workflow they are kept out of).
 */
export interface WorkflowScope {
  ids: readonly string[];
  only: boolean;
}

/** Every workflow: for callers that are not asking on someone's behalf (tests, the bench). */
export const ALL_WORKFLOWS: WorkflowScope = { ids: [], only: false };

export function workflowScope(config: AccessConfig, userId: string): WorkflowScope {
  const configured = [...config.workflows.values()];
  if ((config.retiredWorkflowsVisibleTo ?? []).includes(userId)) return { ids: configured.filter((w) => !mayActOn(w, userId)).map((w) => w.id), only: false };
  return { ids: configured.filter((w) => mayActOn(w, userId)).map((w) => w.id), only: true };
}

/** Whether a handoff of `workflowId` is in the scope (the store's filter, for lists read some other way). */
export function inScope(scope: WorkflowScope, workflowId: string): boolean {
  return scope.ids.includes(workflowId) === scope.only;
}
