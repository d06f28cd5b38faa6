import type { NotifyChannel } from '../../shared/schemas/enums.js';
import { IMPLICIT_REASON } from '../config/config-schema.js';
import type { Workflow } from '../config/load-config.js';
import type { HandoffRecord, IntakeIssue } from './handoff-record.js';
import { intakeIssues, type CallRequest } from './call-request.js';
import { decideIntake, type IntakeCapabilities } from './decide-intake.js';
import { routingAt } from './routing.js';
import { severityRank } from './severity.js';
import { nextLevelDueAt } from './ladder.js';

/** What a later request from the same platform call changes. */
export interface CallUpdate {
  reason: string;
  severity: HandoffRecord['severity'];
  notify: HandoffRecord['notify'];
  ownerNotified: HandoffRecord['ownerNotified'];
  callerMessage: string;
  structuredFields: Record<string, unknown>;
  intakeIssues: IntakeIssue[] | null;
  escalateDueAt: number | null;
  /** Filled in only when the handoff had none. */
  callerId: string | null;
}

export interface CallMerge {
  update: CallUpdate;
  /** Channels the handoff was not queued to before and is now (SMS goes out once, when first asked for). */
  added: NotifyChannel[];
  /** Nothing this request says changes the handoff (e.g. a transfer request for a call that has one). */
  unchanged: boolean;
}

function union<T>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])];
}

const rootOf = (path: string): string => path.split(/[.[]/)[0]!;

/**
 * A later request from a call that already has a handoff: fields merged (the later value wins),
 * severity only ever raised, reason and caller message from the later request, channels added,
 * and the problems still open listed again. Escalation keeps the earlier due time unless the
 * higher severity makes it due sooner (counted from when the caller first asked).
 */
export function mergeCall(current: HandoffRecord, next: CallRequest, workflow: Workflow, now: number, caps: IntakeCapabilities): CallMerge {
  const stated = new Set(next.stated);
  const kept = (current.intakeIssues ?? []).filter((i) => i.message !== 'required, missing' && !stated.has(rootOf(i.path)));
  const fields = { ...(current.structuredFields ?? {}), ...next.fields };
  const reason = next.reason ?? current.reason;
  const decision =
    decideIntake({ handoff_reason: reason, severity: next.severity, notify: next.notify, caller_message: next.callerMessage }, workflow, now, caps) ??
    decideIntake({ handoff_reason: IMPLICIT_REASON, severity: next.severity, notify: next.notify, caller_message: next.callerMessage }, workflow, now, caps)!;
  const severity = severityRank(decision.severity) > severityRank(current.severity) ? decision.severity : current.severity;
  const ownerNotified = union(current.ownerNotified, decision.ownerNotified);
  if (severity === 'urgent' && !ownerNotified.includes('desktop')) ownerNotified.push('desktop');
  let escalateDueAt = current.escalateDueAt;
  // The next rung's wait at the new severity, counted from when the current rung paged (or arrival).
  const due0 = nextLevelDueAt(routingAt(workflow, now).workflow.ladder, current.escalationLevel, severity, current.lastEscalatedAt ?? current.receivedAt);
  if (current.status === 'open' && due0 !== null) {
    const due = Math.max(now, due0);
    escalateDueAt = escalateDueAt === null ? due : Math.min(escalateDueAt, due);
  }
  const issues: IntakeIssue[] | null = intakeIssues([...kept, ...next.valueIssues], fields, workflow);
  const update: CallUpdate = {
    reason: decision.reason,
    severity,
    notify: union(current.notify, decision.notify),
    ownerNotified,
    callerMessage: decision.callerMessage,
    structuredFields: fields,
    intakeIssues: issues,
    escalateDueAt,
    callerId: next.callerId,
  };
  const unchanged =
    next.stated.length <= 1 &&
    next.valueIssues.length === 0 &&
    reason === current.reason &&
    severity === current.severity &&
    JSON.stringify(fields) === JSON.stringify(current.structuredFields ?? {});
  return { update, added: ownerNotified.filter((c) => !current.ownerNotified.includes(c)), unchanged };
}
