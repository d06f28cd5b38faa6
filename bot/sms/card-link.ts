/**
 * How long an on-call SMS may wait for its handoff's card to be posted so it can carry the card's
 * permalink. Past this the SMS goes with the bot's own card link instead: Slack's pace (one post per
 * second per channel, a storm's queue, a 429) never holds a page back for longer.
 */
export const SMS_CARD_WAIT_MS = 3_000;
/** How often a waiting SMS looks again for the permalink. */
export const SMS_CARD_POLL_MS = 200;

/** `GET /h/{handoff_id}`: answers with a redirect to the card (or the storm digest that lists it) once Slack has it. */
export const CARD_LINK_PATH = '/h/:handoffId';

export function cardLinkUrl(publicUrl: string, handoffId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/h/${handoffId}`;
}

export interface CardLinkInput {
  handoffId: string;
  /** The card's permalink, once it is posted. */
  permalink: string | null;
  /** The permalink of a posted storm digest listing the handoff (claimable there while its card waits). */
  digestPermalink: string | null;
  /** `HANDOFF_PUBLIC_URL`: the bot's own address, reachable from the on-call person's phone. */
  publicUrl: string | null;
  /** When the SMS was queued (with the handoff) and now. */
  queuedAt: number;
  now: number;
}

export type CardLinkDecision = { type: 'send'; url: string | null } | { type: 'wait'; afterMs: number };

/**
 * The link an on-call SMS carries. Every SMS of a handoff leads to its card: the permalink when the
 * card is out in time (the usual case: a card is posted within a second of its 202), otherwise the
 * bot's `/h/…` link, which redirects to the card as soon as it exists. Without a public URL, a storm
 * digest that lists the handoff is the next best place to claim it; with neither, no link.
 */
export function decideCardLink(input: CardLinkInput): CardLinkDecision {
  if (input.permalink) return { type: 'send', url: input.permalink };
  const waited = input.now - input.queuedAt;
  if (waited < SMS_CARD_WAIT_MS) return { type: 'wait', afterMs: Math.min(SMS_CARD_POLL_MS, SMS_CARD_WAIT_MS - waited) };
  if (input.publicUrl) return { type: 'send', url: cardLinkUrl(input.publicUrl, input.handoffId) };
  return { type: 'send', url: input.digestPermalink };
}
