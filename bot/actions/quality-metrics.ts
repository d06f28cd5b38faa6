import type { HandoffRecord } from '../domain/handoff-record.js';
import type { Metrics } from '../observability/metrics.js';
import type { ActionName } from './action-types.js';

/**
 * Time to claim (the first claim only: a release and a new claim do not count twice) and time to
 * resolve, observed after the action committed. Labels are the workflow and reason ids from the config.
 */
export function observeQuality(metrics: Pick<Metrics, 'timeToClaim' | 'timeToResolve'>, action: ActionName, h: HandoffRecord): void {
  const labels = { workflow: h.workflowId, reason: h.reason };
  if (action === 'claim' && h.claimedAt !== null && h.firstClaimedAt === h.claimedAt) {
    metrics.timeToClaim.observe(labels, Math.max(0, h.claimedAt - h.receivedAt) / 1000);
  }
  if (action === 'resolve' && h.resolvedAt !== null) metrics.timeToResolve.observe(labels, Math.max(0, h.resolvedAt - h.receivedAt) / 1000);
}
