import { isE164 } from '../domain/dial-policy.js';

/** What Twilio does once the person who clicked Call back answers their phone (docs/contract/reaching-the-caller.md#call-back). */
export interface CallBackTwimlInput {
  handoffId: string;
  workflowName: string;
  /** The reason as people read it (its label, else its id). */
  reason: string;
  /** The number to dial: the handoff's caller id. */
  callerNumber: string;
  /** `TWILIO_FROM`: the caller sees the team's number, not the person's own phone. */
  from: string;
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}

/**
 * The last characters of the handoff id, spelled out so text-to-speech reads them one by one: a
 * person with several handoffs open hears which one this is, and can find it on the card.
 */
export function spokenIdTail(handoffId: string, length = 4): string {
  return handoffId.slice(-length).toUpperCase().split('').join(' ');
}

/** Keeps configuration text short and speakable: no control characters, no runaway length. */
function speakable(text: string, max: number): string {
  const clean = [...text].map((c) => (c < ' ' || c === '\u007f' ? ' ' : c)).join('').replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  return clean.length <= max ? clean : `${clean.slice(0, max).trimEnd()}`;
}

/**
 * `<Response>` that tells the person which handoff this is, then dials the caller with the team's
 * number as caller id. It says nothing about the caller (no fields, no number): only configuration
 * and the id reach the phone line.
 */
export function callBackTwiml(input: CallBackTwimlInput): string {
  // Whether it may be dialled is decided before (domain/dial-policy.ts); this guards the markup.
  if (!isE164(input.callerNumber)) throw new TypeError('the caller id is not a phone number');
  const intro =
    `Call back for handoff ending ${spokenIdTail(input.handoffId)}, ` +
    `${speakable(input.workflowName, 100)}, ${speakable(input.reason, 100)}. Connecting you to the caller now.`;
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<Response><Say>${escapeXml(intro)}</Say>` +
    `<Dial callerId="${escapeXml(input.from)}" timeout="30"><Number>${escapeXml(input.callerNumber)}</Number></Dial>` +
    // Twilio goes on past <Dial> however the dialled call ended (a talk that ended or no answer), so this
    // must be true of both.
    '<Say>The call to the caller has ended. Goodbye.</Say></Response>'
  );
}
