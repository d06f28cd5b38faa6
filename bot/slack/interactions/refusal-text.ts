import type { ActionRefusal } from '../../actions/action-types.js';
import type { HandoffRecord } from '../../store/records.js';
import { mention } from '../mrkdwn.js';

/** The ephemeral answer when an action changed nothing. */
export function refusalText(refusal: ActionRefusal, h: HandoffRecord | null, workflowName: string): string {
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
    case 'stale_timer':
    case 'max_level':
      return 'Nothing changed.';
  }
}
