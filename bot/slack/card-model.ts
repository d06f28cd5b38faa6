import type { HandoffConfig } from '../config/load-config.js';
import { workflowAt } from '../domain/routing.js';
import { visibleFields } from '../domain/visible-fields.js';
import { mentionFor } from '../domain/ladder.js';
import type { CardInput } from './cards/card-input.js';
import type { ChatHandoff } from './chat-view.js';

export interface CardOptions {
  /** Twilio is configured: a handoff whose caller id is a phone number offers Call back. */
  callBack?: boolean;
}

/** Maps a handoff's chat view (chat-view.ts) and its workflow to what the card builders show. */
export function toCardInput(h: ChatHandoff, config: HandoffConfig, now: number, notesCount: number, options: CardOptions = {}): CardInput {
  // The mention follows the routing in force when the card is drawn (after hours, the after_hours block's).
  const workflow = workflowAt(config, h.workflowId, now);
  const reasonLabel = workflow?.reasonSpecs.get(h.reason)?.label;
  return {
    handoffId: h.id,
    workflowName: workflow?.name ?? h.workflowId,
    workflowId: h.workflowId,
    reason: h.reason,
    ...(reasonLabel ? { reasonLabel } : {}),
    severity: h.severity,
    status: h.status,
    escalationLevel: h.escalationLevel,
    callStatus: h.callStatus,
    // null = erased or withheld (link_only); a voice call that gave no number shows as none.
    caller: h.personal?.caller ?? null,
    withheld: h.withheld,
    platform: h.sourcePlatform,
    fields: visibleFields(workflow, h.personal?.fields ?? null).map((f) => ({ label: f.label, value: f.value })),
    receivedAt: h.receivedAt,
    now,
    claimedBy: h.claimedBy,
    claimedAt: h.claimedAt,
    resolvedBy: h.resolvedBy,
    resolvedAt: h.resolvedAt,
    lastEscalatedBy: h.lastEscalatedBy,
    lastEscalatedAt: h.lastEscalatedAt,
    lastReleasedBy: h.lastReleasedBy,
    lastReleasedAt: h.lastReleasedAt,
    reopenedBy: h.reopenedBy,
    reopenedAt: h.reopenedAt,
    escalationMention: mentionFor(workflow?.ladder ?? [], h.escalationLevel),
    severityBeforeEscalation: h.severityBeforeEscalation,
    callbacksOff: h.callbacksOff,
    notesCount,
    outcome: h.outcome,
    intakeIssues: (h.intakeIssues ?? []).map((i) => `${i.path}: ${i.message}`),
    callerHungUp: h.callerHungUpAt !== null && h.status !== 'resolved',
    ...callBackOf(h, options),
    connect: h.connect.state === null ? null : { ...h.connect, state: h.connect.state },
  };
}

/** Call back on the card: offered when Twilio is configured and the number may be dialled, else why not (a phone number refused by the dial policy). */
function callBackOf(h: ChatHandoff, options: CardOptions): Pick<CardInput, 'callBack' | 'callBackRefused'> {
  if (options.callBack !== true) return { callBack: false };
  const decision = h.dial;
  if (decision.ok) return { callBack: true };
  // An opaque caller id (a web chat, a SIP user) simply has no Call back; a refused phone number says why.
  if (decision.why === 'not_a_phone') return { callBack: false };
  return { callBack: false, callBackRefused: { why: decision.why, countryCode: decision.countryCode ?? '' } };
}
