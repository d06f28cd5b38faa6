import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../../bot/config/env.js';
import { settingsFromEnv } from '../../bot/settings.js';
import { decodeWebhookSecret, signWebhook } from '../../shared/standard-webhooks.js';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff, TEST_SECRET, TEST_SECRET_2 } from '../support/webhooks.js';
import { rowCounts } from '../support/row-counts.js';

const THIRD_SECRET = 'whsec_bm90LWNvbmZpZ3VyZWQtYW55d2hlcmUtMTIzNDU2';
const BASE_ENV = { SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'signing' };

describe('a bot holding two webhook secrets (rotation)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ startWorkers: false, settings: { webhookKeys: [decodeWebhookSecret(TEST_SECRET), decodeWebhookSecret(TEST_SECRET_2)] } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('accepts a request signed with either secret', async () => {
    const old = await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET });
    const rotated = await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET_2 });
    expect(old.status).toBe(202);
    expect(rotated.status).toBe(202);
    expect((await h.bot.store.handoffs.get(rotated.json.handoff_id as string))!.signatureStatus).toBe('verified');
  });

  it('accepts a header carrying signatures by both the new and an unknown secret', async () => {
    const raw = JSON.stringify(sampleHandoff());
    const id = 'msg_rotation_both';
    const ts = Math.floor(Date.now() / 1000);
    const unknown = signWebhook(THIRD_SECRET, id, ts, raw)['webhook-signature'];
    const known = signWebhook(TEST_SECRET_2, id, ts, raw)['webhook-signature'];
    const res = await postHandoff(h.bot.url, null, {
      rawBody: raw,
      headers: { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `${unknown} ${known}` },
    });
    expect(res.status).toBe(202);
  });

  it('refuses a request signed only with a third secret, storing nothing', async () => {
    const before = rowCounts(h.db);
    const res = await postHandoff(h.bot.url, sampleHandoff(), { secret: THIRD_SECRET });
    expect(res.status).toBe(401);
    expect(res.json.error).toBe('invalid_signature');
    expect(rowCounts(h.db)).toEqual(before);
  });
});

describe('HANDOFF_WEBHOOK_SECRETS through the env parser', () => {
  it.each([
    ['space-separated', `${TEST_SECRET} ${TEST_SECRET_2}`],
    ['comma-separated', `${TEST_SECRET},${TEST_SECRET_2}`],
    ['comma and spaces, padded', `  ${TEST_SECRET} , ${TEST_SECRET_2}  `],
    ['newline-separated', `${TEST_SECRET}\n${TEST_SECRET_2}\n`],
  ])('yields two keys, and a bot built from them verifies either secret (%s)', async (_name, value) => {
    const parsed = parseEnv({ ...BASE_ENV, HANDOFF_WEBHOOK_SECRETS: value });
    if (!('env' in parsed)) throw new Error(`unexpected issues: ${JSON.stringify(parsed.issues)}`);
    const settings = settingsFromEnv(parsed.env, {});
    expect(settings.webhookKeys).toEqual([decodeWebhookSecret(TEST_SECRET), decodeWebhookSecret(TEST_SECRET_2)]);
    const h = await startHarness({ startWorkers: false, settings: { webhookKeys: settings.webhookKeys } });
    try {
      expect((await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET })).status).toBe(202);
      expect((await postHandoff(h.bot.url, sampleHandoff(), { secret: TEST_SECRET_2 })).status).toBe(202);
      expect((await postHandoff(h.bot.url, sampleHandoff(), { secret: THIRD_SECRET })).status).toBe(401);
    } finally {
      await h.close();
    }
  });

  it('names the variable and the bad entry\'s position, never its value', () => {
    const parsed = parseEnv({ ...BASE_ENV, HANDOFF_WEBHOOK_SECRETS: `${TEST_SECRET} whsec_c2hvcnQ= plain-secret-value` });
    expect('issues' in parsed).toBe(true);
    if (!('issues' in parsed)) return;
    expect(parsed.issues.map((i) => i.path)).toEqual(['HANDOFF_WEBHOOK_SECRETS', 'HANDOFF_WEBHOOK_SECRETS']);
    expect(parsed.issues.map((i) => i.message).join(' ')).toMatch(/entry 2.*entry 3/);
    const text = JSON.stringify(parsed.issues);
    for (const secretish of ['c2hvcnQ', 'plain-secret-value', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']) expect(text).not.toContain(secretish);
  });

  it('refuses to run without a secret unless unsigned webhooks are allowed on purpose', () => {
    const missing = parseEnv({ ...BASE_ENV });
    expect('issues' in missing && missing.issues.map((i) => i.path)).toEqual(['HANDOFF_WEBHOOK_SECRETS']);
    const allowed = parseEnv({ ...BASE_ENV, HANDOFF_ALLOW_UNSIGNED: 'true' });
    expect('env' in allowed && settingsFromEnv(allowed.env, {}).webhookKeys).toEqual([]);
  });
});
