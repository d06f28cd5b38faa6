// The four voice platforms' side of docs/contract/voice-platforms.md: requests in each platform's documented shape,
// signed as that platform signs them. Written apart from the bot's verifiers (bot/providers/) so
// that each checks the other; the tests also check both against the platforms' own SDKs.
import { createHmac } from 'node:crypto';
// The platforms' own SDK types (type-only: nothing of them is loaded at run time), so a field a
// platform renames fails our type check instead of our users' calls.
import type * as ElevenLabsWire from '@elevenlabs/elevenlabs-js/serialization/index.js';
import type { Vapi } from '@vapi-ai/server-sdk';
import type { PhoneCallResponse } from 'retell-sdk/resources/call';

export type VoicePlatform = 'retell' | 'vapi' | 'elevenlabs' | 'twilio';

export interface VoiceSecrets {
  retellApiKey: string;
  vapiSecret: string;
  elevenlabsWebhookSecret: string;
  elevenlabsToolToken: string;
  twilioAuthToken: string;
  /** What the bot is told its public URL is (`HANDOFF_PUBLIC_URL`): Twilio signs URLs under it. */
  publicUrl: string;
}

/** The same secrets as the bot's environment names them (each platform reads its own variables). */
export function voiceEnv(s: VoiceSecrets): Record<string, string> {
  return {
    RETELL_API_KEY: s.retellApiKey,
    VAPI_SECRET: s.vapiSecret,
    ELEVENLABS_WEBHOOK_SECRET: s.elevenlabsWebhookSecret,
    ELEVENLABS_TOOL_TOKEN: s.elevenlabsToolToken,
    TWILIO_AUTH_TOKEN: s.twilioAuthToken,
    HANDOFF_PUBLIC_URL: s.publicUrl,
  };
}

/** A request ready to send: body text, content type and the platform's auth headers. */
export interface SignedRequest {
  body: string;
  headers: Record<string, string>;
}

const JSON_TYPE = { 'content-type': 'application/json' };

/** Retell: `x-retell-signature: v=<ms>,d=<hex HMAC-SHA256(api key, body + ms)>`. */
export function signRetell(body: string, apiKey: string, nowMs = Date.now()): SignedRequest {
  const d = createHmac('sha256', apiKey).update(body + String(nowMs)).digest('hex');
  return { body, headers: { ...JSON_TYPE, 'x-retell-signature': `v=${nowMs},d=${d}` } };
}

/** Vapi with a plain server-credential secret (the legacy `x-vapi-secret`). */
export function vapiWithSecret(body: string, secret: string): SignedRequest {
  return { body, headers: { ...JSON_TYPE, 'x-vapi-secret': secret } };
}

/** Vapi with a Bearer credential (`BearerAuthenticationPlan`): header `Authorization` and the `Bearer ` prefix unless told otherwise. */
export function vapiBearer(body: string, token: string, plan: { headerName?: string; bearerPrefixEnabled?: boolean } = {}): SignedRequest {
  const value = plan.bearerPrefixEnabled === false ? token : `Bearer ${token}`;
  return { body, headers: { ...JSON_TYPE, [(plan.headerName ?? 'Authorization').toLowerCase()]: value } };
}

/** Vapi's `HmacAuthenticationPlan` options this product takes: algorithm, signature encoding and prefix. */
export interface VapiHmacPlan {
  algorithm?: 'sha256' | 'sha512' | 'sha1';
  signatureEncoding?: 'hex' | 'base64';
  signaturePrefix?: string;
}

/** Vapi with an HMAC credential: `x-signature` = HMAC of `<x-timestamp>.<body>` (hex SHA-256 unless the plan says otherwise). */
export function signVapi(body: string, secret: string, timestamp: string = String(Math.floor(Date.now() / 1000)), plan: VapiHmacPlan | string = {}): SignedRequest {
  const { algorithm = 'sha256', signatureEncoding = 'hex', signaturePrefix = '' } = typeof plan === 'string' ? { signaturePrefix: plan } : plan;
  const sig = createHmac(algorithm, secret).update(`${timestamp}.${body}`).digest(signatureEncoding);
  return { body, headers: { ...JSON_TYPE, 'x-signature': `${signaturePrefix}${sig}`, 'x-timestamp': timestamp } };
}

/** ElevenLabs post-call webhook: `elevenlabs-signature: t=<s>,v0=<hex HMAC-SHA256 of "t.body">`. */
export function signElevenLabs(body: string, secret: string, nowSeconds = Math.floor(Date.now() / 1000)): SignedRequest {
  const v0 = createHmac('sha256', secret).update(`${nowSeconds}.${body}`).digest('hex');
  return { body, headers: { ...JSON_TYPE, 'elevenlabs-signature': `t=${nowSeconds},v0=${v0}` } };
}

/** ElevenLabs webhook tool call: the tool's bearer token. */
export function elevenLabsTool(body: string, token: string): SignedRequest {
  return { body, headers: { ...JSON_TYPE, authorization: `Bearer ${token}` } };
}

/** Twilio: base64 HMAC-SHA1 of the full URL followed by each form parameter, sorted by name, name then value. */
export function signTwilio(url: string, params: Record<string, string>, authToken: string): SignedRequest {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, k) => acc + k + params[k], url);
  const signature = createHmac('sha1', authToken).update(data).digest('base64');
  return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature } };
}

// ---- request bodies, in each platform's shape ----

export interface SampleCall {
  callId: string;
  callerId: string;
  /** The agent's parameters: handoff_reason, severity, caller_message and the workflow's fields. */
  args: Record<string, unknown>;
}

/** A Retell phone call as its SDK describes one (`PhoneCallResponse`). */
function retellCall(callId: string, callerId: string | null, status: PhoneCallResponse['call_status']): PhoneCallResponse {
  return {
    agent_id: 'agent_sandbox',
    agent_version: 1,
    call_id: callId,
    call_status: status,
    call_type: 'phone_call',
    direction: 'inbound',
    from_number: callerId ?? '+15555550100',
    to_number: '+15555550111',
  };
}

export function retellFunctionCall(c: SampleCall, name = 'request_handoff'): { name: string; call: PhoneCallResponse; args: Record<string, unknown> } {
  return { name, call: retellCall(c.callId, c.callerId, 'ongoing'), args: c.args };
}

export function retellCallEvent(event: 'call_ended' | 'call_analyzed' | 'call_started', callId: string, summary?: string): { event: string; call: PhoneCallResponse } {
  return { event, call: { ...retellCall(callId, null, 'ended'), ...(summary ? { call_analysis: { call_summary: summary } } : {}) } };
}

/** A Vapi call as its SDK describes one (`Call`). */
function vapiCall(callId: string, callerId?: string): Vapi.Call {
  const at = new Date().toISOString();
  return { id: callId, orgId: 'org_sandbox', createdAt: at, updatedAt: at, type: 'inboundPhoneCall', ...(callerId ? { customer: { number: callerId } } : {}) };
}

/** Vapi's `tool-calls` message; `arguments` is the JSON string the SDK's `ToolCallFunction` says it is. */
export function vapiToolCalls(c: SampleCall, toolCalls: { id: string; name?: string; args?: Record<string, unknown> | string }[] = [{ id: 'call_tool_1' }]): { message: Vapi.ServerMessageToolCalls } {
  const list = toolCalls.map((t): Vapi.ToolCall => {
    const args = t.args ?? c.args;
    return { id: t.id, type: 'function', function: { name: t.name ?? 'request_handoff', arguments: typeof args === 'string' ? args : JSON.stringify(args) } };
  });
  return {
    message: {
      type: 'tool-calls',
      timestamp: Date.now(),
      call: vapiCall(c.callId, c.callerId),
      customer: { number: c.callerId },
      toolCallList: list,
      toolWithToolCallList: list.map((toolCall) => ({ type: 'function', toolCall, function: { name: toolCall.function.name } })),
    },
  };
}

export function vapiStatusUpdate(callId: string, status: Vapi.ServerMessageStatusUpdateStatus): { message: Vapi.ServerMessageStatusUpdate } {
  return { message: { type: 'status-update', status, ...(status === 'ended' ? { endedReason: 'customer-ended-call' } : {}), call: vapiCall(callId) } };
}

export function vapiEndOfCallReport(callId: string, summary: string): { message: Vapi.ServerMessageEndOfCallReport } {
  return { message: { type: 'end-of-call-report', endedReason: 'customer-ended-call', call: vapiCall(callId), artifact: {}, analysis: { summary } } };
}

export function vapiTransferRequest(callId: string, callerId: string): { message: Vapi.ServerMessageTransferDestinationRequest } {
  return { message: { type: 'transfer-destination-request', call: vapiCall(callId, callerId) } };
}

/** ElevenLabs' webhook tool: the body is the tool's parameters, with the system variables filled in. */
export function elevenLabsToolBody(c: SampleCall): Record<string, unknown> {
  return { caller_id: c.callerId, conversation_id: c.callId, ...c.args };
}

/** ElevenLabs' post-call webhook: `data` is the conversation in the wire format of its SDK (`GetConversationResponseModel`). */
export function elevenLabsPostCall(conversationId: string, summary: string): { type: 'post_call_transcription'; event_timestamp: number; data: ElevenLabsWire.GetConversationResponseModel.Raw } {
  const now = Math.floor(Date.now() / 1000);
  return {
    type: 'post_call_transcription',
    event_timestamp: now,
    data: {
      agent_id: 'agent_sandbox',
      conversation_id: conversationId,
      status: 'done',
      has_audio: false,
      has_user_audio: false,
      has_response_audio: false,
      has_auxiliary_audio: false,
      metadata: { start_time_unix_secs: now - 60, call_duration_secs: 60 },
      transcript: [{ role: 'agent', message: 'Let me get a person for you.', time_in_call_secs: 50 }],
      analysis: { transcript_summary: summary, call_successful: 'success' },
    },
  };
}

/** Twilio's `<Connect action>` callback after a ConversationRelay session that ended with handoff data. */
export function twilioConnectAction(c: SampleCall, accountSid = 'AC00000000000000000000000000000000'): Record<string, string> {
  return {
    AccountSid: accountSid,
    CallSid: c.callId,
    From: c.callerId,
    To: '+15555550111',
    Direction: 'inbound',
    CallStatus: 'in-progress',
    SessionStatus: 'ended',
    HandoffData: JSON.stringify(c.args),
  };
}

/** The path of a platform's endpoint for a workflow. */
export function providerPath(platform: VoicePlatform, workflowId: string): string {
  return `/v1/providers/${platform}/${encodeURIComponent(workflowId)}`;
}

/** A sample request for a person in `platform`'s shape, signed as that platform signs it. */
export function signedHandoffRequest(platform: VoicePlatform, workflowId: string, call: SampleCall, secrets: VoiceSecrets): SignedRequest {
  switch (platform) {
    case 'retell':
      return signRetell(JSON.stringify(retellFunctionCall(call)), secrets.retellApiKey);
    case 'vapi':
      return signVapi(JSON.stringify(vapiToolCalls(call)), secrets.vapiSecret);
    case 'elevenlabs':
      return elevenLabsTool(JSON.stringify(elevenLabsToolBody(call)), secrets.elevenlabsToolToken);
    case 'twilio':
      return signTwilio(secrets.publicUrl + providerPath('twilio', workflowId), twilioConnectAction(call), secrets.twilioAuthToken);
  }
}

/** The platform's "call is over" event with a summary (Twilio has none in docs/contract/voice-platforms.md#post-call-events). */
export function signedCallEnded(platform: Exclude<VoicePlatform, 'twilio'>, callId: string, summary: string, secrets: VoiceSecrets): SignedRequest {
  switch (platform) {
    case 'retell':
      return signRetell(JSON.stringify(retellCallEvent('call_analyzed', callId, summary)), secrets.retellApiKey);
    case 'vapi':
      return signVapi(JSON.stringify(vapiEndOfCallReport(callId, summary)), secrets.vapiSecret);
    case 'elevenlabs':
      return signElevenLabs(JSON.stringify(elevenLabsPostCall(callId, summary)), secrets.elevenlabsWebhookSecret);
  }
}

export async function sendSigned(baseUrl: string, path: string, req: SignedRequest): Promise<{ status: number; text: string; contentType: string }> {
  const res = await fetch(baseUrl + path, { method: 'POST', headers: req.headers, body: req.body });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') ?? '' };
}
