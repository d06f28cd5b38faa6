import type { HandoffConfig, Workflow } from '../config/load-config.js';
import { mayActOn } from '../domain/may-act.js';
import type { StatsDays, StatsFigures, StatsReportInput } from './stats-figures.js';
import type { StatsRow } from '../store/records.js';
import type { StatsRepository } from '../store/store.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** The workflows whose figures this user may see: `allowed_users` hides a restricted workflow everywhere. */
export function visibleWorkflows(config: HandoffConfig, userId: string | null): Workflow[] {
  return [...config.workflows.values()].filter((wf) => userId === null || mayActOn(wf, userId));
}

function figures(r: StatsRow): StatsFigures {
  return {
    count: r.count,
    escalated: r.escalated,
    hungUpBeforeClaim: r.hungUpBeforeClaim,
    resolved: r.resolved,
    notNeeded: r.notNeeded,
    timeToClaim: r.timeToClaim,
    timeToResolve: r.timeToResolve,
  };
}

/**
 * The last `days` up to `now` and the same length before it, for these workflows, with names and
 * reason labels from the config. The one place `/handoff stats`, App Home and the digest get figures.
 */
export async function collectStats(
  queries: StatsRepository,
  config: HandoffConfig,
  opts: { now: number; days: StatsDays; workflows: readonly Workflow[]; scope: string | null },
): Promise<StatsReportInput> {
  const span = opts.days * DAY_MS;
  const ids = opts.workflows.map((w) => w.id);
  const current = await queries.period(opts.now - span, opts.now, ids);
  const previous = new Map((await queries.period(opts.now - 2 * span, opts.now - span, ids)).rows.map((r) => [`${r.workflowId}\u0000${r.reason}`, r]));
  return {
    days: opts.days,
    scope: opts.scope,
    rows: current.rows.map((r) => {
      const workflow = config.workflows.get(r.workflowId);
      const label = workflow?.reasonSpecs.get(r.reason)?.label;
      const before = previous.get(`${r.workflowId}\u0000${r.reason}`);
      return {
        ...figures(r),
        workflowId: r.workflowId,
        workflowName: workflow?.name ?? r.workflowId,
        reason: r.reason,
        ...(label ? { reasonLabel: label } : {}),
        previous: before ? figures(before) : null,
      };
    }),
  };
}
