import type { HandoffConfig } from '../config/load-config.js';
import type { HandoffListItem } from './cards/status-report.js';
import type { ChatHandoff } from './chat-view.js';

/** A handoff as a line of a list (`/handoff status`, `/handoff mine`, App Home): no personal data. */
export function toListItem(h: ChatHandoff, config: HandoffConfig): HandoffListItem {
  const workflow = config.workflows.get(h.workflowId);
  const label = workflow?.reasonSpecs.get(h.reason)?.label;
  return {
    handoffId: h.id,
    workflowName: workflow?.name ?? h.workflowId,
    reason: h.reason,
    ...(label ? { reasonLabel: label } : {}),
    severity: h.severity,
    status: h.status,
    escalationLevel: h.escalationLevel,
    receivedAt: h.receivedAt,
    claimedBy: h.claimedBy,
    claimedAt: h.claimedAt,
    permalink: h.slackPermalink,
    callerHungUp: h.callerHungUpAt !== null,
  };
}
