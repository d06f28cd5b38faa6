import type { HandoffConfig, Workflow } from '../config/load-config.js';
import { isOpenAt, nextChangeAfter, type BusinessHours } from './business-hours.js';

/** Which of a workflow's routing blocks is in force: it has no `hours`, it is inside them, or outside. */
export type RoutingBlock = 'always' | 'business_hours' | 'after_hours';

export interface Routing {
  block: RoutingBlock;
  /** When the other block takes over (null: never, or the workflow has no hours). */
  until: number | null;
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
 * Where a handoff of `workflow` goes at `instant` (SPEC section 10): inside `hours` (or without any),
 * the workflow's own routing; outside, its `after_hours` block over it. Escalation then applies within
 * the block chosen here.
 */
export function routingAt(workflow: Workflow, instant: number): Routing {
  const hours = businessHoursOf(workflow);
  if (!hours) return { block: 'always', until: null, workflow, callerMessage: null };
  const until = nextChangeAfter(hours, instant);
  if (isOpenAt(hours, instant)) return { block: 'business_hours', until, workflow, callerMessage: null };
  const override = workflow.after_hours ?? {};
  const { caller_message: callerMessage, ...keys } = override;
  const defined = Object.fromEntries(Object.entries(keys).filter(([, v]) => v !== undefined)) as Partial<Workflow>;
  return { block: 'after_hours', until, workflow: { ...workflow, ...defined }, callerMessage: callerMessage ?? null };
}

/** The configured workflow `id` as it routes at `instant`; undefined when the config no longer has it. */
export function workflowAt(config: Pick<HandoffConfig, 'workflows'>, id: string, instant: number): Workflow | undefined {
  const workflow = config.workflows.get(id);
  return workflow && routingAt(workflow, instant).workflow;
}
