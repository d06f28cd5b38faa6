import { mention } from '../mrkdwn.js';
import type { CardInput } from './card-input.js';
import { actorText, raisedText, severityEmoji, severityLabel } from './format.js';
import { slackAgo } from '../mrkdwn.js';

/** What a card's header and first line say about where the handoff stands. */
export interface CardHeadline {
  /** Plain text, before the reason: "Urgent · 🙋 CLAIMED" (the severity word first: a screen reader reads an emoji's name before it). */
  header: string;
  /** mrkdwn: who has it, how far it went, or that it is done; mentions only when a person is needed. */
  line: string;
}

export type HeadlineInput = Pick<
  CardInput,
  | 'severity'
  | 'status'
  | 'escalationLevel'
  | 'callStatus'
  | 'receivedAt'
  | 'claimedBy'
  | 'claimedAt'
  | 'resolvedBy'
  | 'resolvedAt'
  | 'lastEscalatedBy'
  | 'lastEscalatedAt'
  | 'escalationMention'
  | 'severityBeforeEscalation'
  | 'callerHungUp'
>;

/** The contract's words for a caller who hung up before anyone claimed (docs/contract/voice-platforms.md#post-call-events). */
export const CALLER_HUNG_UP_TEXT = 'Caller hung up: call back';

/**
 * The card's state, first: who claimed it, the escalation level, resolved. Pure, so other
 * markers (incomplete fields, a waiting caller) can be added beside it without touching layout.
 * Times are Slack date tokens (`{ago}`), which every client renders live: the card never shows a
 * frozen age.
 */
export function cardHeadline(input: HeadlineInput): CardHeadline {
  const severity = `${severityLabel(input.severity).toUpperCase()} ${severityEmoji(input.severity)}`;
  const word = severityLabel(input.severity);
  if (input.status === 'resolved') {
    return { header: `${word} · ✅ RESOLVED`, line: `:white_check_mark: Resolved by ${actorText(input.resolvedBy)}${when(input.resolvedAt)}.` };
  }
  const escalated = input.escalationLevel > 0 ? escalationText(input) : '';
  const hungUp = input.callerHungUp === true ? `:telephone_receiver: *${CALLER_HUNG_UP_TEXT}.* The call ended before anyone claimed this handoff.` : '';
  if (input.status === 'claimed') {
    const claimed = `:raising_hand: Claimed by ${actorText(input.claimedBy)}${when(input.claimedAt)}.${escalated ? ` ${escalated}` : ''}`;
    return { header: `${word} · 🙋 CLAIMED`, line: hungUp ? `${claimed}\n${hungUp}` : claimed };
  }
  const needed = input.severity === 'urgent' || input.escalationLevel > 0;
  const ping = needed && input.escalationMention !== null ? `${mention(input.escalationMention)} ` : '';
  if (hungUp) {
    return { header: `${word} · 📞 CALLER HUNG UP`, line: `${ping}${hungUp}${escalated ? ` ${escalated}` : ''}` };
  }
  if (input.escalationLevel > 0) {
    return {
      header: `${word} · ⏫ ESCALATED (LEVEL ${input.escalationLevel})`,
      // The timer's own words already say nobody claimed it.
      line: `${ping}:arrow_double_up: ${escalated}${input.lastEscalatedBy === 'auto' ? '' : ' Nobody has claimed it yet.'}`,
    };
  }
  const icon = needed ? ':rotating_light: ' : '';
  return { header: severity, line: `${ping}${icon}Nobody has claimed this yet; it came in${when(input.receivedAt)}.` };
}

/** "Escalated to level 2 by <@U…> 3 minutes ago" or, for the timer, that nobody claimed in time. */
function escalationText(input: HeadlineInput): string {
  const at = when(input.lastEscalatedAt);
  // Only a raise is news: an urgent handoff stays Urgent, and the header says its severity anyway.
  const raised = raisedText(input.severityBeforeEscalation, input.severity);
  if (input.lastEscalatedBy === 'auto') return `Escalated automatically to level ${input.escalationLevel}${at}: nobody claimed it in time.${raised}`;
  const by = input.lastEscalatedBy === null ? '' : ` by ${actorText(input.lastEscalatedBy)}`;
  return `Escalated to level ${input.escalationLevel}${by}${at}.${raised}`;
}

function when(at: number | null): string {
  return at === null ? '' : ` ${slackAgo(at)}`;
}
