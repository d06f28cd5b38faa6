import type { Bound, Dialect } from './dialect.js';

/** Notes (their text is personal data, erased by retention), one text for both engines. */
export const noteStatements = {
  /** One row: id. */
  insert: (handoffId: string, author: string, text: string, at: number): Bound => ({
    text: 'INSERT INTO notes (handoff_id, author, text, at) VALUES (@handoffId, @author, @text, @at) RETURNING id',
    params: { handoffId, author, text, at },
  }),
  get: (id: number): Bound => ({ text: 'SELECT author, text FROM notes WHERE id = @id', params: { id } }),
  /** Notes whose text is still kept; one row: n. */
  countFor: (handoffId: string): Bound => ({ text: 'SELECT COUNT(*) AS n FROM notes WHERE handoff_id = @handoffId AND text IS NOT NULL', params: { handoffId } }),
  recordPosted: (id: number, channel: string, ts: string): Bound => ({ text: 'UPDATE notes SET slack_channel = @channel, slack_ts = @ts WHERE id = @id', params: { id, channel, ts } }),
  /** Rows: id, slack_channel, slack_ts. */
  erasedInSlack: (handoffId: string): Bound => ({
    text: 'SELECT id, slack_channel, slack_ts FROM notes WHERE handoff_id = @handoffId AND text IS NULL AND slack_deleted_at IS NULL ORDER BY id',
    params: { handoffId },
  }),
  markDeletedFromSlack: (id: number, now: number): Bound => ({ text: 'UPDATE notes SET slack_deleted_at = @now WHERE id = @id', params: { id, now } }),
};

export interface ErasedNoteRow {
  id: number;
  slack_channel: string | null;
  slack_ts: string | null;
}

/** Where each escalation card went. */
export const slackMessageStatements = {
  /** Rows: level, channel, ts. */
  escalations: (handoffId: string): Bound => ({ text: 'SELECT level, channel, ts FROM slack_escalation_messages WHERE handoff_id = @handoffId ORDER BY level', params: { handoffId } }),
  rememberEscalation: (handoffId: string, level: number, channel: string, ts: string): Bound => ({
    text: `INSERT INTO slack_escalation_messages (handoff_id, level, channel, ts) VALUES (@handoffId, @level, @channel, @ts)
       ON CONFLICT (handoff_id, level) DO UPDATE SET channel = excluded.channel, ts = excluded.ts`,
    params: { handoffId, level, channel, ts },
  }),
};

/** Desktop pairing codes and bearer tokens (hashes only). */
export const desktopAuthStatements = {
  addPairingCode: (codeHash: string, userId: string, now: number, expiresAt: number): Bound => ({
    text: 'INSERT INTO desktop_pairing_codes (code_hash, user_id, created_at, expires_at) VALUES (@codeHash, @userId, @now, @expiresAt)',
    params: { codeHash, userId, now, expiresAt },
  }),
  /** Uses a valid code once, whichever process two racing exchanges reach; one row (user_id) when it was valid. */
  useCode: (codeHash: string, now: number): Bound => ({
    text: 'UPDATE desktop_pairing_codes SET used_at = @now WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @now RETURNING user_id',
    params: { codeHash, now },
  }),
  addToken: (tokenHash: string, userId: string, deviceName: string | null, now: number): Bound => ({
    text: 'INSERT INTO desktop_tokens (token_hash, user_id, device_name, created_at) VALUES (@tokenHash, @userId, @deviceName, @now)',
    params: { tokenHash, userId, deviceName, now },
  }),
  /** One row (user_id) for a token not revoked. */
  userOfToken: (tokenHash: string): Bound => ({ text: 'SELECT user_id FROM desktop_tokens WHERE token_hash = @tokenHash AND revoked_at IS NULL', params: { tokenHash } }),
  revokeTokens: (userId: string, now: number): Bound => ({ text: 'UPDATE desktop_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL', params: { userId, now } }),
};

/** Accepted (202) answers by (workflow, key); they are written with the handoff (write-ops.ts). */
export const idempotencyStatements = {
  /** One row: body_hash, handoff_id, response. */
  get: (workflowId: string, key: string): Bound => ({
    text: 'SELECT body_hash, handoff_id, response FROM idempotency_keys WHERE workflow_id = @workflowId AND key = @key',
    params: { workflowId, key },
  }),
};

/** Which handoff belongs to which voice-platform call; rows are written with the handoff (write-ops.ts). */
export const providerCallStatements = {
  /** One row: handoff_id. */
  find: (workflowId: string, platform: string, callId: string): Bound => ({
    text: 'SELECT handoff_id FROM provider_calls WHERE workflow_id = @workflowId AND platform = @platform AND call_id = @callId',
    params: { workflowId, platform, callId },
  }),
};

/** The Twilio calls Call back placed, so a retry can tell its own call from another. */
export function callBackStatements(d: Dialect) {
  return {
    recordPlaced: (outboxId: number, handoffId: string, callSid: string, at: number): Bound => ({
      text: 'INSERT INTO call_backs (outbox_id, handoff_id, call_sid, placed_at) VALUES (@outboxId, @handoffId, @callSid, @at) ON CONFLICT DO NOTHING',
      params: { outboxId, handoffId, callSid, at },
    }),
    /** Rows: call_sid, of those in `sids` an outbox row already claimed. */
    known: (sids: readonly string[]): Bound => ({ text: `SELECT call_sid FROM call_backs WHERE call_sid ${d.inList('@sids')}`, params: { sids: d.list(sids) } }),
  };
}
