import { randomUUID } from 'node:crypto';
import { signWebhook } from '../../shared/standard-webhooks.js';

export const TEST_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
export const TEST_SECRET_2 = 'whsec_dGVzdC1zZWNyZXQtbnVtYmVyLXR3by0xMjM0NTY=';

export function sampleHandoff(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    workflow_id: 'clinic-after-hours',
    caller_id: '+15555550123',
    call_status: 'in_progress',
    structured_fields: { patient_name: 'Dana Whitfield', symptoms: 'chest pain since noon', callback_number: '+15555550177' },
    webhook_url: 'http://127.0.0.1:9/callbacks',
    handoff_reason: 'emergency_or_sensitive_request',
    ...overrides,
  };
}

export interface PostOptions {
  secret?: string;
  id?: string;
  timestampSeconds?: number;
  headers?: Record<string, string>;
  rawBody?: string | Buffer;
  unsigned?: boolean;
}

export async function postHandoff(baseUrl: string, body: unknown, opts: PostOptions = {}): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const raw = opts.rawBody ?? JSON.stringify(body);
  const id = opts.id ?? `msg_${randomUUID()}`;
  const signed = opts.unsigned ? {} : signWebhook(opts.secret ?? TEST_SECRET, id, opts.timestampSeconds ?? Date.now() / 1000, raw);
  const res = await fetch(`${baseUrl}/v1/handoffs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...signed, ...opts.headers },
    body: raw as BodyInit,
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { _raw: text };
  }
  return { status: res.status, json, headers: res.headers };
}
