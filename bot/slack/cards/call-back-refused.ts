import type { CardInput } from './card-input.js';
import { mrkdwn, type ContextBlock } from './blocks.js';

type Refused = NonNullable<CardInput['callBackRefused']>;

/** Why the bot will not dial this caller (domain/dial-policy.ts), in words a person on the card can act on. */
export function callBackRefusedText(r: Refused): string {
  switch (r.why) {
    case 'country_not_allowed':
      // A link_only workflow's card does not say the caller's country code (docs/contract/regulated-workflows.md).
      if (r.countryCode === '') return "Call back is off for this caller: calls to the caller's country are not allowed here. An admin can extend `dial_country_codes` in handoff.config.yaml.";
      return `Call back is off for this caller: calls to country code +${r.countryCode} are not allowed here. An admin can add ${r.countryCode} to \`dial_country_codes\` in handoff.config.yaml.`;
    case 'premium':
      return 'Call back is off for this caller: the number is in a premium-rate or shared-cost range, which the bot never dials (a spoofed caller id there is a toll-fraud pattern).';
    case 'international_network':
      return 'Call back is off for this caller: the number is in an international-network or satellite range, which the bot never dials (a spoofed caller id there is a toll-fraud pattern).';
  }
}

/** The card's line in place of the Call back button; null when there is nothing to explain. */
export function callBackRefusedContext(input: Pick<CardInput, 'callBackRefused' | 'status'>, blockId: string): ContextBlock | null {
  if (!input.callBackRefused || input.status === 'resolved') return null;
  return { type: 'context', block_id: blockId, elements: [mrkdwn(`:no_entry_sign: ${callBackRefusedText(input.callBackRefused)}`)] };
}
