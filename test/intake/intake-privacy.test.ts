import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/standard-webhooks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff, TEST_SECRET } from '../support/webhooks.js';

// Distinctive values: if any of them shows up in a log line, it leaked from a request.
const CALLER_ID = '+15555550199';
const PATIENT = 'Zephyrine Quillfeather';
const SYMPTOMS = 'sharp-pain-left-ankle-xq7';
const CALLBACK_NUMBER = '+15555550142';
const ACCOUNT = 'ACCT-7731-PRIV';
const CALLER_MESSAGE = 'We-will-phone-you-at-nine-xq9';
const SECRET_B64 = TEST_SECRET.slice('whsec_'.length);

let h: Harness;
const acceptedIds: string[] = [];
const signatures: string[] = [];

function clinic(overrides: Record<string, unknown> = {}) {
  return sampleHandoff({
    caller_id: CALLER_ID,
    handoff_reason: 'appointment_change',
    caller_message: CALLER_MESSAGE,
    structured_fields: { patient_name: PATIENT, symptoms: SYMPTOMS, callback_number: CALLBACK_NUMBER },
    ...overrides,
  });
}

beforeAll(async () => {
  // Workers on, fast pacing: delivery logs (card posted, retries) are part of what must stay clean.
  h = await startHarness({ outbox: { paceMs: 0, idleMs: 20 } });

  const accepted = [
    clinic(),
    clinic({ handoff_reason: 'emergency_or_sensitive_request' }),
    sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', caller_id: CALLER_ID, structured_fields: { account_number: ACCOUNT } }),
  ];
  for (const body of accepted) {
    const raw = JSON.stringify(body);
    const headers = signWebhook(TEST_SECRET, `msg_priv_${acceptedIds.length}`, Date.now() / 1000, raw);
    signatures.push(headers['webhook-signature']);
    const res = await postHandoff(h.bot.url, null, { rawBody: raw, headers: { ...headers } });
    expect(res.status).toBe(202);
    acceptedIds.push(res.json.handoff_id as string);
  }
  // A replay, and a reuse of the key with another body.
  expect((await postHandoff(h.bot.url, null, { rawBody: JSON.stringify(accepted[0]), id: 'msg_priv_0' })).status).toBe(202);
  expect((await postHandoff(h.bot.url, clinic({ call_status: 'on_hold' }), { id: 'msg_priv_0' })).status).toBe(422);

  const rejected: [number, Parameters<typeof postHandoff>[1], Parameters<typeof postHandoff>[2]][] = [
    [422, clinic({ call_status: 'dancing', caller_id: `${CALLER_ID}\u0007` }), {}],
    [422, clinic({ structured_fields: { patient_name: PATIENT, symptoms: 42, nickname: SYMPTOMS, callback_number: CALLBACK_NUMBER.slice(0, 5) } }), {}],
    [422, clinic({ handoff_reason: `reason-${PATIENT}` }), {}],
    [422, clinic({ workflow_id: `wf-${PATIENT}` }), {}],
    [422, clinic({ [`field_${SYMPTOMS}`]: CALLER_ID }), {}],
    [401, clinic(), { secret: 'whsec_d3Jvbmctc2VjcmV0LWZvci1wcml2YWN5LXRlc3Q=' }],
    [401, clinic(), { headers: { 'webhook-signature': `v1,${SECRET_B64}` } }],
    [401, clinic(), { timestampSeconds: Date.now() / 1000 - 3600 }],
    [400, null, { rawBody: `{"caller_id": "${CALLER_ID}", "structured_fields": {"patient_name": "${PATIENT}"` }],
    [415, clinic(), { headers: { 'content-type': 'text/plain' } }],
    [413, clinic({ caller_message: `${CALLER_MESSAGE} `.repeat(3000) }), {}],
  ];
  for (const [status, body, opts] of rejected) {
    const res = await postHandoff(h.bot.url, body, opts);
    expect(res.status).toBe(status);
  }
  // Let the outbox post every card so its log lines are in the capture too.
  await until(async () => (await Promise.all(acceptedIds.map((id) => h.bot.store.handoffs.get(id)))).every((r) => r?.slackTs), 5_000, 'every card posted');
});

afterAll(async () => {
  await h.close();
});

describe('intake logging', () => {
  it('writes no caller id, structured field value, caller message, secret or signature', () => {
    const text = h.logs.text;
    const forbidden = {
      CALLER_ID,
      callerIdDigits: CALLER_ID.slice(1),
      PATIENT,
      SYMPTOMS,
      CALLBACK_NUMBER,
      ACCOUNT,
      CALLER_MESSAGE,
      TEST_SECRET,
      SECRET_B64,
      ...Object.fromEntries(signatures.map((s, i) => [`signature${i}`, s.slice('v1,'.length)])),
    };
    for (const [name, value] of Object.entries(forbidden)) expect(text.includes(value), `${name} found in logs`).toBe(false);
  });

  it('still logs the metadata: handoff ids, workflow, and the error codes of rejections', () => {
    const lines = h.logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const id of acceptedIds) expect(lines.some((l) => l.handoff_id === id && typeof l.workflow === 'string')).toBe(true);
    expect(lines.some((l) => l.workflow === 'billing')).toBe(true);
    const codes = new Set(lines.map((l) => l.err_code).filter(Boolean));
    for (const code of ['validation_failed', 'unknown_reason', 'unknown_workflow', 'invalid_signature', 'invalid_json', 'unsupported_media_type', 'payload_too_large', 'idempotency_key_reused']) {
      expect(codes.has(code), code).toBe(true);
    }
  });
});
