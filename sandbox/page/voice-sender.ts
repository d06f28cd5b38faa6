// The page's "Send as a voice platform": a sample request for a person (or the end of that call) in
// Retell's, Vapi's, ElevenLabs' or Twilio's shape, signed as that platform signs it, to the bot's
// /v1/providers/<platform>/<workflow> endpoint. A caller who waits for a person (Vapi's transfer
// request, Retell's wait_for_person) is held by the bot until a Claim, and so is this sender.
import { randomUUID } from 'node:crypto';
import type { HandoffConfig } from '../../bot/config/load-config.js';
import { providerPath, retellFunctionCall, sendSigned, signedCallEnded, signedHandoffRequest, signRetell, signVapi, vapiTransferRequest, type VoicePlatform, type VoiceSecrets } from '../fakes/voice-platforms.js';

const PLATFORMS: readonly VoicePlatform[] = ['retell', 'vapi', 'elevenlabs', 'twilio'];

export interface VoiceSendRequest {
  platform?: unknown;
  workflow_id?: unknown;
  /** `handoff` (default), `wait_for_person` (Vapi, Retell: held until a Claim) or `call_ended`. */
  event?: unknown;
  call_id?: unknown;
  args?: unknown;
}

/** Sends one sample; the answer says what the platform got back, to show on the page. */
export async function sendAsVoicePlatform(
  botUrl: string,
  secrets: VoiceSecrets,
  config: HandoffConfig,
  request: VoiceSendRequest,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const platform = PLATFORMS.find((p) => p === request.platform);
  const workflowId = typeof request.workflow_id === 'string' && config.workflows.has(request.workflow_id) ? request.workflow_id : null;
  if (!platform || !workflowId) return { status: 400, body: { error: 'invalid_request', message: `platform must be one of ${PLATFORMS.join(', ')}, workflow_id a configured workflow` } };
  const callId = typeof request.call_id === 'string' && request.call_id !== '' ? request.call_id : `sandbox-${randomUUID()}`;
  const args = typeof request.args === 'object' && request.args !== null && !Array.isArray(request.args) ? (request.args as Record<string, unknown>) : {};
  if (request.event === 'call_ended') {
    if (platform === 'twilio') return { status: 400, body: { error: 'invalid_request', message: 'Twilio sends no post-call event (docs/contract/voice-platforms.md#post-call-events)' } };
    const answer = await sendSigned(botUrl, providerPath(platform, workflowId), signedCallEnded(platform, callId, 'Sandbox call summary: the caller asked for a person.', secrets));
    return { status: 200, body: { platform, call_id: callId, status: answer.status, answer: answer.text } };
  }
  const call = { callId, callerId: '+15555550123', args };
  if (request.event === 'wait_for_person') {
    if (platform === 'retell') {
      const signed = signRetell(JSON.stringify(retellFunctionCall({ ...call, args: { ...args, wait_for_person: true } })), secrets.retellApiKey);
      const answer = await sendSigned(botUrl, providerPath(platform, workflowId), signed);
      return { status: 200, body: { platform, call_id: callId, status: answer.status, answer: answer.text, sent: signed.body } };
    }
    if (platform === 'vapi') {
      // The agent asked for a person (its tool call), then its transfer tool asks where to send the caller.
      await sendSigned(botUrl, providerPath(platform, workflowId), signedHandoffRequest(platform, workflowId, call, secrets));
      const signed = signVapi(JSON.stringify(vapiTransferRequest(callId, call.callerId)), secrets.vapiSecret);
      const answer = await sendSigned(botUrl, providerPath(platform, workflowId), signed);
      return { status: 200, body: { platform, call_id: callId, status: answer.status, answer: answer.text, sent: signed.body } };
    }
    return { status: 400, body: { error: 'invalid_request', message: 'Only Vapi and Retell hold a caller for a person (docs/contract/reaching-the-caller.md#claim-to-connect-on-vapi)' } };
  }
  const signed = signedHandoffRequest(platform, workflowId, call, secrets);
  const answer = await sendSigned(botUrl, providerPath(platform, workflowId), signed);
  return { status: 200, body: { platform, call_id: callId, status: answer.status, answer: answer.text, sent: signed.body } };
}
