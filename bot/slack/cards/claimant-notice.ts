import { mention } from '../mrkdwn.js';
import { type SlackMessage, mrkdwn } from './blocks.js';
import { actorText } from './format.js';

export interface ClaimantNoticeInput {
  claimant: string;
  /** Who acted; null for the system. */
  actor: string | null;
  action: string;
  level: number;
}

/**
 * The thread reply that tells a claimant someone else acted on their handoff (the rule in
 * perform-action's `tellsClaimant`). In the card's thread, with a mention: the claimant gets a
 * notification and everyone else sees the trace.
 */
export function buildClaimantNotice(input: ClaimantNoticeInput): SlackMessage {
  const who = actorText(input.actor);
  const what = input.action === 'escalate' ? `escalated this handoff you claimed to level ${input.level}` : 'resolved this handoff you claimed';
  const text = `${mention(input.claimant)}: ${who} ${what}.`;
  return {
    text: input.action === 'escalate' ? 'A handoff you claimed was escalated' : 'A handoff you claimed was resolved',
    blocks: [{ type: 'section', block_id: 'ho_claimant_notice', text: mrkdwn(`:information_source: ${text}`) }],
  };
}
