import { mention, slackDate } from '../mrkdwn.js';
import { type SectionBlock, mrkdwn } from './blocks.js';
import type { CardInput } from './card-input.js';

/**
 * The card's claim-to-connect line (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi), first thing under the mention so it reads at a
 * glance: a caller on the line now, since when and until when a Claim transfers them; or that the
 * wait ended without a transfer and the caller needs a call back. Times use Slack's date formatting,
 * so each reader sees their own time zone. `now` decides whether a wait is still live: a card drawn
 * after a restart shows a wait that ran out as over, even before the bot records it.
 */
export function connectLine(input: Pick<CardInput, 'connect' | 'status' | 'now'>): string | null {
  const c = input.connect;
  if (!c) return null;
  const since = c.waitingSince === null ? '' : ` since ${slackDate(c.waitingSince)}`;
  const callBack = input.status === 'resolved' ? '' : ': call them back';
  switch (c.state) {
    case 'waiting':
      if (input.status === 'resolved') return null;
      if (c.waitingUntil !== null && c.waitingUntil > input.now) {
        return `:telephone_receiver: *The caller is on the line, waiting to be connected*${since}. Claim to have the call transferred to your phone (until ${slackDate(c.waitingUntil)}).`;
      }
      return `:warning: *The caller waited on the line${since}${c.waitingUntil === null ? '' : ` until ${slackDate(c.waitingUntil)}`} and was not connected*${callBack}.`;
    case 'timed_out':
      return `:warning: *The caller could not wait to be connected*${since ? ` (waited${since})` : ''}${callBack}.`;
    case 'closed':
      return `:warning: *The caller stopped waiting on the line before anyone claimed*${callBack}.`;
    case 'no_phone':
      return `:warning: *${c.user ? mention(c.user) : 'The claimer'} claimed with no phone under \`people\`, so the caller was not transferred*${callBack}.`;
    case 'connected':
      return `:telephone_receiver: The caller was transferred to ${c.user ? mention(c.user) : 'the claimer'}'s phone.`;
  }
}

export function connectSection(input: Pick<CardInput, 'connect' | 'status' | 'now'>, blockId: string): SectionBlock | null {
  const line = connectLine(input);
  return line === null ? null : { type: 'section', block_id: blockId, text: mrkdwn(line) };
}
