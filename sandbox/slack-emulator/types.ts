// Shapes the emulator stores and reports. They mirror Slack's wire objects
// closely enough that a test or the sandbox page can treat them as Slack's.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface EmulatorUser {
  id: string;
  name: string;
  real_name: string;
}

export interface EmulatorChannel {
  id: string;
  name: string;
}

export interface EmulatorTeam {
  id: string;
  domain: string;
  name: string;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: JsonObject;
}

export interface StoredMessage {
  type: 'message';
  channel: string;
  ts: string;
  text: string;
  blocks: JsonObject[];
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  metadata?: MessageMetadata;
  thread_ts?: string;
  edited?: { user: string; ts: string };
  /** Only on thread parents: Slack reports these in history. */
  reply_count?: number;
  latest_reply?: string;
}

export interface StoredEphemeral {
  channel: string;
  user: string;
  ts: string;
  text: string;
  blocks: JsonObject[];
  thread_ts?: string;
  /** 'api' = chat.postEphemeral, 'response_url' = a reply through a response_url. */
  via: 'api' | 'response_url';
}

export interface StoredView {
  id: string;
  user: string;
  state: 'open' | 'closed';
  view: JsonObject;
  hash: string;
}

export type ChangeEvent =
  | { type: 'message_posted'; channel: string; ts: string; message: StoredMessage }
  | { type: 'message_updated'; channel: string; ts: string; message: StoredMessage }
  | { type: 'message_deleted'; channel: string; ts: string }
  | { type: 'ephemeral'; channel: string; ts: string; user: string; ephemeral: StoredEphemeral }
  | { type: 'view_opened'; viewId: string; user: string; view: StoredView }
  | { type: 'view_updated'; viewId: string; user: string; view: StoredView }
  | { type: 'view_closed'; viewId: string; user: string }
  | { type: 'home_published'; viewId: string; user: string; view: StoredView };

/** What every Web API method answers; `ok:false` goes out with HTTP 200 as Slack does. */
export type ApiResult = ({ ok: true } & Record<string, unknown>) | ApiError;

export interface ApiError {
  ok: false;
  error: string;
  errors?: string[];
  response_metadata?: { messages: string[] };
  [key: string]: unknown;
}

export function apiError(error: string, messages?: string[]): ApiError {
  if (!messages || messages.length === 0) return { ok: false, error };
  return { ok: false, error, errors: messages, response_metadata: { messages: messages.map((m) => `[ERROR] ${m}`) } };
}
