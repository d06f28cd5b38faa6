import { mention, slackAgo } from '../mrkdwn.js';
import { type SlackMessage, mrkdwn } from './blocks.js';

/**
 * The claimer of a handoff still unresolved `remind_after` after the claim (and every period after):
 * a reply in the card's thread that mentions them, so it notifies them and nobody else.
 */
export function buildClaimReminder(input: { claimant: string; claimedAt: number | null }): SlackMessage {
  const since = input.claimedAt === null ? '' : ` ${slackAgo(input.claimedAt)}`;
  return {
    text: 'Reminder: a handoff you claimed is not resolved yet',
    blocks: [
      {
        type: 'section',
        block_id: 'ho_reminder_claim',
        text: mrkdwn(`${mention(input.claimant)} :alarm_clock: *Reminder:* you claimed this handoff${since} and it is not resolved yet. Resolve it when it is done, or Release it so someone else can take it.`),
      },
    ],
  };
}

/**
 * A caller who hung up while waiting, before anyone claimed: a reply in the card's thread that pages
 * whoever the ladder pages now (the card's edit alone notifies nobody).
 */
export function buildCallBackReminder(input: { mention: string | null; hungUpAt: number | null }): SlackMessage {
  const who = input.mention === null ? '' : `${mention(input.mention)} `;
  const when = input.hungUpAt === null ? '' : ` ${slackAgo(input.hungUpAt)}`;
  return {
    text: 'Call back: the caller hung up while waiting for a person',
    blocks: [
      {
        type: 'section',
        block_id: 'ho_reminder_call_back',
        text: mrkdwn(`${who}:telephone_receiver: *Call back:* the caller hung up${when} while waiting, before anyone claimed this handoff. Claim it and call them back.`),
      },
    ],
  };
}
