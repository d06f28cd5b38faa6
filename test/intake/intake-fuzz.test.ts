import { randomUUID } from 'node:crypto';
import { Agent, request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../shared/standard-webhooks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { sampleHandoff, TEST_SECRET } from '../support/webhooks.js';
import { rowCounts } from '../support/row-counts.js';

let h: Harness;
const agent = new Agent({ keepAlive: true, maxSockets: 4 });
beforeAll(async () => {
  h = await startHarness({ startWorkers: false });
});
afterAll(async () => {
  agent.destroy();
  await h.close();
});

interface Answer {
  status: number;
  body: string;
}

/** node:http rather than fetch: it lets a case send any header value the HTTP grammar allows, or none. */
function send(path: string, method: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  const url = new URL(path, h.bot.url);
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

// ---- bodies -------------------------------------------------------------------------------

const headerText = fc.string({ unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)), maxLength: 120 });
const anyString = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 80 }));
const hugeString = fc.tuple(fc.constantFrom('x', 'é', '📞', '\u0000', '"', '\\', '\u2028'), fc.integer({ min: 500, max: 40_000 })).map(([c, n]) => c.repeat(n));
const junk = fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 4 }), anyString, hugeString, fc.constant(null), fc.double(), fc.constant([]));
const validFieldValues = fc.record({
  patient_name: fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim().length > 0 && !/\p{Cc}/u.test(s)),
  visits: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
  preferred_clinic: fc.option(fc.constantFrom('downtown', 'northside'), { nil: undefined }),
});
const validBody = fc.tuple(validFieldValues, fc.constantFrom('in_progress', 'on_hold', 'completed', 'abandoned'), fc.constantFrom('appointment_change', 'emergency_or_sensitive_request', undefined)).map(
  ([fields, status, reason]) => sampleHandoff({ structured_fields: JSON.parse(JSON.stringify(fields)) as unknown, call_status: status, handoff_reason: reason }),
);
const mutatedBody = fc
  .tuple(
    validBody,
    fc.constantFrom('workflow_id', 'caller_id', 'call_status', 'structured_fields', 'webhook_url', 'handoff_reason', 'severity', 'notify', 'caller_message', 'idempotency_key', 'signature_status', 'extra_field', '__proto__', 'constructor'),
    fc.oneof(fc.constant('delete' as const), junk),
  )
  .map(([body, key, value]) => {
    const copy: Record<string, unknown> = { ...body };
    if (value === 'delete') delete copy[key];
    else Object.defineProperty(copy, key, { value, enumerable: true, writable: true, configurable: true });
    return copy;
  });
const mutatedField = fc
  .tuple(validBody, fc.constantFrom('patient_name', 'symptoms', 'date_of_birth', 'callback_number', 'preferred_clinic', 'visits', 'nickname'), junk)
  .map(([body, key, value]) => ({ ...body, structured_fields: { ...(body.structured_fields as object), [key]: value } }));
const deepNesting = fc.tuple(fc.integer({ min: 50, max: 30_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => {
  const close = open === '[' ? ']' : '}';
  return `{"workflow_id":"clinic-after-hours","structured_fields":{"patient_name":${open.repeat(depth)}1${close.repeat(depth)}}}`;
});

/** The raw bytes a case sends: JSON text of a value, or bytes that may not be JSON at all. */
const rawBody: fc.Arbitrary<Buffer> = fc.oneof(
  validBody.map((b) => Buffer.from(JSON.stringify(b))),
  mutatedBody.map((b) => Buffer.from(JSON.stringify(b))),
  mutatedField.map((b) => Buffer.from(JSON.stringify(b))),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  deepNesting.map((s) => Buffer.from(s)),
  hugeString.map((s) => Buffer.from(JSON.stringify(sampleHandoff({ caller_message: s })))),
  anyString.map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(0)),
  fc.integer({ min: 60 * 1024, max: 70 * 1024 }).map((n) => Buffer.from(JSON.stringify(sampleHandoff({ caller_message: 'y'.repeat(n) })))),
);

// ---- headers ------------------------------------------------------------------------------

// Weighted toward JSON types so most cases get past 415 and reach the signature and body checks.
const contentType = fc.oneof(
  { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json;charset=latin1'), weight: 8 },
  fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'json', ''),
  headerText,
  fc.constant(undefined),
);
type SignatureMode =
  | { kind: 'valid' }
  | { kind: 'none' }
  | { kind: 'garbage'; id?: string; ts?: string; sig?: string }
  | { kind: 'wrong_secret' }
  | { kind: 'skewed'; seconds: number }
  | { kind: 'tampered' };
const signature: fc.Arbitrary<SignatureMode> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 8 },
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('garbage' as const), id: fc.option(headerText, { nil: undefined }), ts: fc.option(fc.oneof(headerText, fc.integer().map(String)), { nil: undefined }), sig: fc.option(fc.oneof(headerText, fc.base64String().map((b) => `v1,${b}`)), { nil: undefined }) }),
  fc.constant({ kind: 'wrong_secret' as const }),
  fc.record({ kind: fc.constant('skewed' as const), seconds: fc.oneof(fc.integer({ min: 301, max: 10 ** 8 }), fc.integer({ min: -(10 ** 8), max: -301 })) }),
  fc.constant({ kind: 'tampered' as const }),
);

function signatureHeaders(mode: SignatureMode, raw: Buffer): Record<string, string> {
  const now = Date.now() / 1000;
  const id = `msg_${randomUUID()}`;
  switch (mode.kind) {
    case 'valid':
      return { ...signWebhook(TEST_SECRET, id, now, raw) };
    case 'none':
      return {};
    case 'wrong_secret':
      return { ...signWebhook('whsec_d3Jvbmctc2VjcmV0LWZvci1mdXp6aW5nLTEyMzQ=', id, now, raw) };
    case 'skewed':
      return { ...signWebhook(TEST_SECRET, id, now + mode.seconds, raw) };
    case 'tampered':
      return { ...signWebhook(TEST_SECRET, id, now, Buffer.concat([raw, Buffer.from(' ')])) };
    case 'garbage': {
      const out: Record<string, string> = {};
      if (mode.id !== undefined) out['webhook-id'] = mode.id;
      if (mode.ts !== undefined) out['webhook-timestamp'] = mode.ts;
      if (mode.sig !== undefined) out['webhook-signature'] = mode.sig;
      return out;
    }
  }
}

const ALLOWED = new Set([202, 400, 401, 413, 415, 422]);

describe('POST /v1/handoffs under random input', () => {
  it('answers only 202 or a documented 4xx, never writes for a rejection, and stays up', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(rawBody, contentType, signature, async (raw, ct, sig) => {
        const headers: Record<string, string> = { ...signatureHeaders(sig, raw) };
        if (ct !== undefined) headers['content-type'] = ct;
        const before = rowCounts(h.db);
        const res = await send('/v1/handoffs', 'POST', headers, raw);
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        expect(ALLOWED.has(res.status), `status ${res.status}: ${res.body.slice(0, 200)}`).toBe(true);
        const json = JSON.parse(res.body) as Record<string, unknown>;
        const after = rowCounts(h.db);
        if (res.status === 202) {
          expect(sig.kind).toBe('valid');
          expect(json.handoff_id).toMatch(/^ho_/);
          expect(after.handoffs).toBe(before.handoffs + 1);
          expect(after.events).toBe(before.events + 1);
        } else {
          expect(typeof json.error).toBe('string');
          expect(after).toEqual(before);
        }
      }),
      // A fixed seed keeps the suite deterministic; FUZZ_SEED=<n> explores other inputs.
      { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20_240_611), interruptAfterTimeLimit: 25_000, markInterruptAsFailure: false },
    );
    // Both outcomes were exercised, not only rejections.
    expect(seen.get(202) ?? 0).toBeGreaterThan(0);
    expect([...seen.keys()].filter((s) => s !== 202).length).toBeGreaterThanOrEqual(4);
    const health = await send('/healthz', 'GET', {}, Buffer.alloc(0));
    expect(health.status).toBe(200);
  });

  it('answers 4xx for deeply nested JSON inside an otherwise valid, signed handoff', async () => {
    for (const depth of [1_000, 10_000, 30_000]) {
      const raw = Buffer.from(JSON.stringify(sampleHandoff()).replace('"Dana Whitfield"', `${'['.repeat(depth)}${']'.repeat(depth)}`));
      const before = rowCounts(h.db);
      const res = await send('/v1/handoffs', 'POST', { 'content-type': 'application/json', ...signWebhook(TEST_SECRET, `msg_${randomUUID()}`, Date.now() / 1000, raw) }, raw);
      expect(res.status, res.body.slice(0, 200)).toBe(422);
      expect(rowCounts(h.db)).toEqual(before);
    }
    expect((await send('/healthz', 'GET', {}, Buffer.alloc(0))).status).toBe(200);
  });
});
