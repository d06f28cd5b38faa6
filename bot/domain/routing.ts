import type { HandoffConfig, Workflow } from '../config/load-config.js';
import type { BusinessHours } from '../config/weekly-windows.js';
import { isOpenAt, nextChangeAfter } from './business-hours.js';
import { ladderOf } from '../config/ladder-levels.js';

/** Which of a workflow's routing blocks is in force: it has no `hours`, it is inside them, or outside. */
export type RoutingBlock = 'always' | 'business_hours' | 'after_hours';

export interface Routing {
  block: RoutingBlock;
  /**
   * The workflow as it routes now: outside hours, the `after_hours` keys replace the workflow's own.
   * Everything downstream (card channel, SMS, escalation) reads the routing keys from this.
   */
  workflow: Workflow;
  /** What every caller hears while this block is in force, overriding the reason's and the agent's; null: no override. */
  callerMessage: string | null;
}

function businessHoursOf(workflow: Workflow): BusinessHours | null {
  return workflow.hours ? { timeZone: workflow.hours.time_zone, open: workflow.hours.open } : null;
}

/**
 * Where a handoff of `workflow` goes at `instant` (docs/contract/storms-ladder-hours.md#business-hours): inside `hours` (or without any),
 * the workflow's own routing; outside, its `after_hours` block over it. Escalation then applies within
 * the block chosen here.
 */
export function routingAt(workflow: Workflow, instant: number): Routing {
  const hours = businessHoursOf(workflow);
  if (!hours) return { block: 'always', workflow, callerMessage: null };
  if (isOpenAt(hours, instant)) return { block: 'business_hours', workflow, callerMessage: null };
  const override = workflow.after_hours ?? {};
  const { caller_message: callerMessage, ...keys } = override;
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Partial<Workflow>;
  const routed = { ...workflow, ...defined };
  // The ladder follows the escalation keys in force (after_hours.levels, or its older keys).
  return { block: 'after_hours', workflow: { ...routed, ladder: ladderOf(routed) }, callerMessage: callerMessage ?? null };
}

/** When the other block takes over after `instant` (null: never, or the workflow has no hours). Costlier than routingAt: for `/handoff oncall`, not intake. */
export function routingChangeAfter(workflow: Workflow, instant: number): number | null {
  const hours = businessHoursOf(workflow);
  return hours ? nextChangeAfter(hours, instant) : null;
}

/** The configured workflow `id` as it routes at `instant`; undefined when the config no longer has it. */
export function workflowAt(config: Pick<HandoffConfig, 'workflows'>, id: string, instant: number): Workflow | undefined {
  const workflow = config.workflows.get(id);
  return workflow && routingAt(workflow, instant).workflow;
}
