import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/standard-webhooks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff, TEST_SECRET } from '../support/webhooks.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

function count(table: string): number {
  return (h.db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
}

describe('POST /v1/handoffs', () => {
  it('accepts a signed handoff with 202, effective severity and the reason\'s caller message', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ caller_message: 'We will send an ambulance right away.' }));
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ status: 'open', severity: 'urgent', caller_message: 'I am marking this for a person now.' });
    expect(res.json.handoff_id).toMatch(/^ho_[0-9a-z]{26}$/);
    expect(res.json.owner_notified).toEqual(['slack', 'desktop']); // sms is not configured here
    const row = (await h.bot.store.handoffs.get(res.json.handoff_id as string))!;
    expect(row.status).toBe('open');
    expect(row.signatureStatus).toBe('verified');
    expect((await h.bot.store.events.forHandoff(row.id)).map((e) => e.type)).toEqual(['handoff.received']);
    expect((await h.bot.store.outbox.forHandoff(row.id)).map((o) => o.kind)).toContain('slack.post_card');
  });

  it('raises a sensitive reason to at least high and ignores the agent\'s own wording', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ severity: 'low', caller_message: 'Refund approved!' }));
    expect(res.status).toBe(202);
    expect(res.json.severity).toBe('high');
    expect(res.json.caller_message).toBe('I am marking this for a person now.');
  });

  it('uses the agent\'s caller message for a non-sensitive reason, and defaults reason to unspecified', async () => {
    const a = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'appointment_change', caller_message: 'Someone will call you back tomorrow.' }));
    expect(a.json).toMatchObject({ severity: 'low', caller_message: 'Someone will call you back tomorrow.' });
    const b = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: undefined }));
    expect(b.status).toBe(202);
    expect(b.json).toMatchObject({ severity: 'normal', caller_message: 'I am marking this for a person now.', owner_notified: ['slack'] });
  });

  it('treats null for an optional structured field as absent', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ structured_fields: { patient_name: 'Dana', symptoms: null, visits: null } }));
    expect(res.status).toBe(202);
    expect((await h.bot.store.handoffs.get(res.json.handoff_id as string))!.structuredFields).toEqual({ patient_name: 'Dana' });
  });

  it('answers 413 payload_too_large above 64 KiB', async () => {
    const big = sampleHandoff({ caller_message: 'x'.repeat(70 * 1024) });
    const res = await postHandoff(h.bot.url, big);
    expect(res.status).toBe(413);
    expect(res.json.error).toBe('payload_too_large');
  });

  it('answers 415 unsupported_media_type for a non-JSON content type', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff(), { headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    expect(res.json.error).toBe('unsupported_media_type');
  });

  // Options are made when the test runs: a timestamp computed at collection time would drift.
  it.each([
    ['a missing signature', () => ({ unsigned: true })],
    ['a wrong secret', () => ({ secret: 'whsec_dGhpcy1pcy1ub3QtdGhlLXJpZ2h0LXNlY3JldA==' })],
    ['a stale timestamp', () => ({ timestampSeconds: Date.now() / 1000 - 305 })],
    ['a future timestamp', () => ({ timestampSeconds: Date.now() / 1000 + 305 })],
  ])('answers 401 invalid_signature for %s', async (_name, opts) => {
    const before = count('handoffs');
    const res = await postHandoff(h.bot.url, sampleHandoff(), opts());
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_signature');
    expect(count('handoffs')).toBe(before);
  });

  it('answers 401 when the body was changed after signing', async () => {
    const raw = JSON.stringify(sampleHandoff());
    const headers = signWebhook(TEST_SECRET, 'msg_tamper', Date.now() / 1000, raw);
    const res = await fetch(`${h.bot.url}/v1/handoffs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: raw.replace('in_progress', 'completed'),
    });
    expect(res.status).toBe(401);
  });

  it('answers 400 invalid_json for a signed body that is not JSON', async () => {
    const res = await postHandoff(h.bot.url, null, { rawBody: '{"workflow_id": ' });
    expect(res.status).toBe(400);
    expect(res.json.error).toBe('invalid_json');
  });

  it('answers 422 unknown_workflow', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ workflow_id: 'no-such-line' }));
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('unknown_workflow');
  });

  it('says each problem once, in words an operator understands, naming the field', async () => {
    const body = sampleHandoff({ severity: 'apocalyptic', colour: 'blue', structured_fields: { date_of_birth: '1984-02-30', preferred_clinic: 'mars', symptoms: 42 } });
    const res = await postHandoff(h.bot.url, body);
    expect(res.status).toBe(422);
    const issues = res.json.issues as { path: string; message: string }[];
    expect(Object.fromEntries(issues.map((i) => [i.path, i.message]))).toEqual({
      severity: 'severity must be one of: low, normal, high, urgent',
      colour: 'colour is not a known field',
      'structured_fields.patient_name': 'patient_name is required',
      'structured_fields.date_of_birth': 'date_of_birth must be a real calendar date',
      'structured_fields.preferred_clinic': 'preferred_clinic must be one of: downtown, northside',
      'structured_fields.symptoms': 'symptoms must be text',
    });
    for (const date of ['02/30/1984', 'tomorrow']) {
      const one = await postHandoff(h.bot.url, sampleHandoff({ structured_fields: { patient_name: 'Dana', date_of_birth: date } }));
      expect((one.json.issues as { path: string }[]).map((i) => i.path)).toEqual(['structured_fields.date_of_birth']);
    }
  });

  it('answers 422 validation_failed with every issue path at once', async () => {
    const res = await postHandoff(
      h.bot.url,
      sampleHandoff({
        call_status: 'dancing',
        caller_id: 'bad\u0007id',
        webhook_url: 'ftp://example.com/x',
        severity: 'apocalyptic',
        colour: 'blue',
        structured_fields: { symptoms: 42, nickname: 'x', preferred_clinic: 'mars', callback_number: '555' },
      }),
    );
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('validation_failed');
    const paths = (res.json.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(
      [
        'call_status',
        'caller_id',
        'colour',
        'severity',
        'structured_fields.callback_number',
        'structured_fields.nickname',
        'structured_fields.patient_name',
        'structured_fields.preferred_clinic',
        'structured_fields.symptoms',
        'webhook_url',
      ].sort(),
    );
    // Issue messages describe the rule, never echo what the caller sent.
    expect(JSON.stringify(res.json)).not.toContain('dancing');
    expect(JSON.stringify(res.json)).not.toContain('mars');
  });

  it('answers 422 unknown_reason', async () => {
    const res = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'billing_question' }));
    expect(res.status).toBe(422);
    expect(res.json.error).toBe('unknown_reason');
  });

  it('answers 404 not_found for unknown paths and 405 method_not_allowed for a wrong method', async () => {
    const a = await fetch(`${h.bot.url}/v1/nothing-here`);
    expect(a.status).toBe(404);
    expect(((await a.json()) as { error: string }).error).toBe('not_found');
    const b = await fetch(`${h.bot.url}/v1/handoffs`);
    expect(b.status).toBe(405);
    expect(((await b.json()) as { error: string }).error).toBe('method_not_allowed');
    const c = await fetch(`${h.bot.url}/slack/events`);
    expect(c.status).toBe(405);
    expect(c.headers.get('allow')).toBe('POST');
  });

  it('serves /healthz, /readyz and Prometheus /metrics', async () => {
    expect(await (await fetch(`${h.bot.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${h.bot.url}/readyz`)).status).toBe(200);
    const metrics = await (await fetch(`${h.bot.url}/metrics`)).text();
    expect(metrics).toMatch(/handoff_intake_requests_total\{result="accepted"\} \d+/);
    expect(metrics).toContain('handoff_intake_latency_seconds_bucket');
    expect(metrics).toContain('handoff_outbox_depth');
  });
});
