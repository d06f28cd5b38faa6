import type { ActionRefusal } from '../../actions/action-types.js';
import type { HandoffConfig } from '../../config/load-config.js';
import type { HandoffRecord } from '../../store/records.js';
import { chatView } from '../chat-view.js';
import { callBackRefusedText } from '../cards/call-back-refused.js';
import { reasonText } from '../cards/format.js';
import { escapeTruncate, mention, singleLine } from '../mrkdwn.js';

/** "*Emergency or sensitive request* (Clinic line, `ho_…`)": which handoff a reply is about. */
export function handoffName(h: HandoffRecord, config: HandoffConfig): string {
  const workflow = config.workflows.get(h.workflowId);
  const label = workflow?.reasonSpecs.get(h.reason)?.label;
  const reason = escapeTruncate(reasonText({ reason: h.reason, ...(label ? { reasonLabel: label } : {}) }), 100);
  const name = escapeTruncate(singleLine(workflow?.name ?? h.workflowId), 100);
  return `*${reason}* (${name}, \`${escapeTruncate(h.id, 40)}\`)`;
}

/** The ephemeral answer when an action changed nothing; it says which handoff and why. */
export function refusalText(refusal: ActionRefusal, h: HandoffRecord | null, config: HandoffConfig, userId = 'U…', callingUser?: string): string {
  if (h === null) return 'This handoff no longer exists.';
  const name = handoffName(h, config);
  const claimer = h.claimedBy ? mention(h.claimedBy) : null;
  switch (refusal) {
    case 'already_claimed':
      return claimer ? `${name} is already claimed by ${claimer}.` : `${name} is already claimed.`;
    case 'already_resolved':
      return h.resolvedBy ? `${name} was already resolved by ${mention(h.resolvedBy)}.` : `${name} is already resolved.`;
    case 'not_allowed': {
      // A workflow no longer configured has no allowed_users to be added to: its key is retired_workflows_visible_to.
      if (!config.workflows.has(h.workflowId)) {
        return `You may not act on ${name}: its workflow is no longer in the handoff config. Ask an admin to add you to retired_workflows_visible_to.`;
      }
      const workflow = escapeTruncate(singleLine(config.workflows.get(h.workflowId)?.name ?? h.workflowId), 100);
      return `You are not on the list of people who may act on ${workflow} handoffs such as ${name}. Ask an admin to add you to its allowed_users.`;
    }
    case 'not_claimer':
      return claimer
        ? `Only ${claimer}, who claimed ${name}, can release it. You can still Escalate or Resolve it; ${claimer} is told when you do.`
        : `Only the person who claimed ${name} can release it.`;
    case 'not_claimed':
      return `${name} is not claimed, so there is nothing to release.`;
    case 'not_resolved':
      return `${name} is not resolved: Reopen and the outcome apply to resolved handoffs only.`;
    case 'not_found':
      return 'This handoff no longer exists.';
    case 'no_phone':
      return addPhoneText(userId, 'Call back rings your phone first, then dials the caller');
    case 'not_dialable': {
      // The chat view's decision: a link_only workflow's refusal does not name the caller's country code.
      const decision = chatView(h, config).dial;
      if (decision.ok || decision.why === 'not_a_phone') return `The caller id of ${name} is not a phone number, so it cannot be called back from here.`;
      return `${name}: ${callBackRefusedText({ why: decision.why, countryCode: decision.countryCode ?? '' })}`;
    }
    case 'call_back_pending': {
      if (callingUser === undefined || callingUser === userId) {
        const phone = config.people.get(userId) ?? '';
        return `Already calling you (ending ${escapeTruncate(phone.slice(-4), 4)}) for ${name}: answer that call. Nobody was rung again.`;
      }
      return `${mention(callingUser)} is already calling back the caller of ${name}. Nobody was rung again.`;
    }
    case 'call_back_rate_limited':
      return `You have started many call backs in the last few minutes, so ${name} was not called. Wait a minute and try again, or ask a colleague.`;
    case 'stale_timer':
    case 'max_level':
      return `Nothing changed on ${name}.`;
  }
}

/** How to get a phone under `people` (docs/contract/reaching-the-caller.md#configuration); `what` says what the phone is needed for. */
export function addPhoneText(userId: string, what: string): string {
  return `${what}, but you have no phone number in the handoff config. Ask an admin to add \`${userId}: "+1…"\` (your number in E.164) under \`people:\` in handoff.config.yaml and restart the bot.`;
}
