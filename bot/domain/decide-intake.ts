import type { HandoffRequest } from '../../shared/schemas/handoff-request.js';
import type { NotifyChannel, Severity } from '../../shared/schemas/enums.js';
import { DEFAULT_CALLER_MESSAGE } from '../config/config-schema.js';
import type { Workflow } from '../config/load-config.js';
import { routingAt, type RoutingBlock } from './routing.js';
import { atLeast } from './severity.js';
import { nextLevelDueAt } from './ladder.js';

export interface IntakeDecision {
  reason: string;
  severity: Severity;
  sensitive: boolean;
  notify: NotifyChannel[];
  callerMessage: string;
  ownerNotified: NotifyChannel[];
  escalateDueAt: number | null;
  /** Business hours or after-hours routing, decided at `receivedAt` (docs/contract/storms-ladder-hours.md#business-hours). */
  routing: RoutingBlock;
  /** Where the card goes and which numbers get the SMS, under that routing. */
  ownerChannel: string;
  smsTo: string[];
}

export interface IntakeCapabilities {
  smsConfigured: boolean;
}

/**
 * What an accepted handoff becomes: effective reason, severity, caller message and channels.
 * Returns null when the reason is not one of the workflow's (the caller answers 422 unknown_reason).
 */
export function decideIntake(
  request: Pick<HandoffRequest, 'handoff_reason' | 'severity' | 'notify' | 'caller_message'>,
  workflow: Workflow,
  receivedAt: number,
  caps: IntakeCapabilities,
): IntakeDecision | null {
  const reason = request.handoff_reason ?? 'unspecified';
  const spec = workflow.reasonSpecs.get(reason);
  if (!spec) return null;
  const route = routingAt(workflow, receivedAt);
  const routed = route.workflow;
  const requested = request.severity ?? spec.severity;
  const severity = spec.sensitive ? atLeast(requested, 'high') : requested;
  // A sensitive call never repeats the agent's own wording: no automated commitment. After hours, the
  // workflow's own message (say, who calls back and when) is what every caller hears.
  const callerMessage =
    route.callerMessage ?? (spec.sensitive ? (spec.caller_message ?? DEFAULT_CALLER_MESSAGE) : (request.caller_message ?? spec.caller_message ?? DEFAULT_CALLER_MESSAGE));
  const notify = [...new Set(request.notify ?? spec.notify)];
  const ownerNotified: NotifyChannel[] = ['slack'];
  if (notify.includes('sms') && caps.smsConfigured && routed.sms_to.length > 0) ownerNotified.push('sms');
  if (severity === 'urgent' || notify.includes('desktop')) ownerNotified.push('desktop');
  return {
    reason,
    severity,
    sensitive: spec.sensitive,
    notify,
    callerMessage,
    ownerNotified,
    escalateDueAt: nextLevelDueAt(routed.ladder, 0, severity, receivedAt),
    routing: route.block,
    ownerChannel: routed.owner_channel,
    smsTo: routed.sms_to,
  };
}
