import type { ActionRefusal } from '../../actions/action-types.js';
import type { HandoffRecord } from '../../store/records.js';
import { mention } from '../mrkdwn.js';

/** The ephemeral answer when an action changed nothing. */
export function refusalText(refusal: ActionRefusal, h: HandoffRecord | null, workflowName: string, userId = 'U…'): string {
  switch (refusal) {
    case 'already_claimed':
      return h?.claimedBy ? `This handoff is already claimed by ${mention(h.claimedBy)}.` : 'This handoff is already claimed.';
    case 'already_resolved':
      return h?.resolvedBy ? `This handoff was already resolved by ${mention(h.resolvedBy)}.` : 'This handoff is already resolved.';
    case 'not_allowed':
      return `You are not on the list of people who may act on ${workflowName} handoffs. Ask an admin to add you to its allowed_users.`;
    case 'not_claimer':
      return h?.claimedBy ? `Only ${mention(h.claimedBy)}, who claimed it, can release this handoff.` : 'Only the person who claimed it can release it.';
    case 'not_claimed':
      return 'This handoff is not claimed, so there is nothing to release.';
    case 'not_found':
      return 'This handoff no longer exists.';
    case 'not_resolved':
      return 'Resolve this handoff first; its outcome can be changed after that.';
    case 'no_phone':
      return addPhoneText(userId, 'Call back rings your phone first, then dials the caller');
    case 'not_dialable':
      return 'The caller id of this handoff is not a phone number, so it cannot be called back from here.';
    case 'stale_timer':
    case 'max_level':
      return 'Nothing changed.';
  }
}

/** How to get a phone under `people` (SPEC section 9); `what` says what the phone is needed for. */
export function addPhoneText(userId: string, what: string): string {
  return `${what}, but you have no phone number in the handoff config. Ask an admin to add \`${userId}: "+1…"\` (your number in E.164) under \`people:\` in handoff.config.yaml and restart the bot.`;
}
