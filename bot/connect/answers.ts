import type { ConnectSpec } from '../config/config-schema.js';
import type { AskResult } from '../providers/types.js';

/** How a held transfer request ends (docs/contract/reaching-the-caller.md). */
export type ConnectAnswer =
  | { kind: 'connected'; userId: string; phone: string }
  /** No transfer: nobody claimed in time, the claimer has no phone, the handoff was resolved, the bot is stopping, or too many callers are held already (`busy`). */
  | { kind: 'fallback'; why: 'timed_out' | 'no_phone' | 'resolved' | 'closed' | 'shutdown' | 'busy' };

/** Vapi's answer to `transfer-destination-request`: a number to transfer to, or an error with the line Vapi speaks instead. */
export type VapiTransferAnswer =
  | { destination: { type: 'number'; number: string; message: string } }
  | { error: string; message: { type: 'request-failed'; content: string } };

export function vapiTransferAnswer(answer: ConnectAnswer, connect: ConnectSpec): VapiTransferAnswer {
  if (answer.kind === 'connected') return { destination: { type: 'number', number: answer.phone, message: connect.transfer_message } };
  // Vapi does not speak `error`; without the request-failed message the caller would hear nothing.
  return { error: connect.fallback_message, message: { type: 'request-failed', content: connect.fallback_message } };
}

/** Retell's custom-function answer (docs/contract/voice-platforms.md#answers) plus `transfer_number`, for a call whose args asked to wait for a person. */
export function retellTransferAnswer(ask: AskResult, answer: ConnectAnswer, connect: ConnectSpec): Record<string, unknown> {
  if (answer.kind === 'connected') return { ...ask, status: 'claimed', caller_message: connect.transfer_message, transfer_number: answer.phone };
  return { ...ask, caller_message: connect.fallback_message, transfer_number: null };
}

/** Retell's args ask the function to hold until a person claims (docs/contract/reaching-the-caller.md#claim-to-connect-on-retell). */
export function wantsPerson(params: Record<string, unknown>): boolean {
  return params['wait_for_person'] === true;
}
