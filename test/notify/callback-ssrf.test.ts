import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { makePendingDue } from '../support/outbox.js';
import { recordingCallbackGuard } from '../support/recording-guard.js';

// The clinic line lists one name, which resolves to the cloud metadata address (refused even for a
// listed host); the billing line lists 127.0.0.1, where the test's receiver runs.
const PRIVATE_NAME = 'hooks.internal.example';
let n: Harness;
let receiver: CallbackReceiver;
const resolved: string[] = [];
const { callbackGuard, opened } = recordingCallbackGuard(async (host) => {
  resolved.push(host);
  if (host === PRIVATE_NAME) return [{ address: '169.254.169.254', family: 4 }];
  throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
});

beforeAll(async () => {
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
  const config = testConfig((doc) => {
    doc.workflows[0]!.callback_hosts = [PRIVATE_NAME];
    return doc;
  });
  n = await startHarness({ config, outbox: { paceMs: 0 }, callbackGuard });
});
afterAll(async () => {
  await n.close();
  await receiver.close();
});

const alice = { kind: 'user' as const, userId: 'U0ALICE01' };

async function acceptClinic(webhookUrl: string): Promise<string> {
  const res = await postHandoff(n.bot.url, sampleHandoff({ webhook_url: webhookUrl }));
  expect(res.status, webhookUrl).toBe(202);
  const id = res.json.handoff_id as string;
  await until(async () => (await n.bot.store.handoffs.get(id))?.slackTs, 5_000, `card for ${webhookUrl}`);
  return id;
}

async function cardText(id: string): Promise<string> {
  const h = (await n.bot.store.handoffs.get(id))!;
  const m = n.slack.message(h.slackChannel!, h.slackTs!)!;
  return JSON.stringify(m.blocks) + m.text;
}

/** Claim and resolve, then push every callback row through the worker. */
async function actAndDrain(id: string): Promise<void> {
  expect((await n.bot.perform({ handoffId: id, action: 'claim', actor: alice })).ok).toBe(true);
  expect((await n.bot.perform({ handoffId: id, action: 'resolve', actor: alice })).ok).toBe(true);
  await until(
    async () => {
      const pending = (await n.bot.store.outbox.forHandoff(id)).some((o) => o.status === 'pending');
      if (pending) makePendingDue(n);
      return !pending;
    },
    5_000,
    'outbox settled',
  );
}

describe('SSRF guard at the handoff level', () => {
  const refusedAtIntake = (port: number) => [
    `http://127.0.0.1:${port}/cb`,
    `http://localhost:${port}/cb`,
    `http://[::1]:${port}/cb`,
    `http://[::ffff:127.0.0.1]:${port}/cb`,
    'http://10.0.0.1/cb',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/cb',
  ];

  it('accepts and cards each handoff with a hostile webhook_url, says callbacks are off, and makes no request', async () => {
    for (const url of refusedAtIntake(receiver.port)) {
      const id = await acceptClinic(url);
      expect((await n.bot.store.handoffs.get(id))!.callbacksEnabled, url).toBe(false);
      expect(await cardText(id), url).toContain('Status callbacks are off');
      await actAndDrain(id);
      expect((await n.bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'callback.send'), url).toHaveLength(0);
    }
    expect(opened).toHaveLength(0);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses a listed name that resolves to the metadata address at send time, turns callbacks off, connects nowhere', async () => {
    const id = await acceptClinic(`http://${PRIVATE_NAME}/cb`);
    expect((await n.bot.store.handoffs.get(id))!.callbacksEnabled).toBe(true);
    await actAndDrain(id);
    expect(resolved).toContain(PRIVATE_NAME);
    const h = (await n.bot.store.handoffs.get(id))!;
    expect(h.callbacksEnabled).toBe(false);
    // The first callback is refused and turns callbacks off; the later one is then dropped unsent.
    const rows = (await n.bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'callback.send');
    expect(rows.map((o) => [o.status, o.lastError])).toEqual([
      ['failed', 'ssrf_refused:metadata'],
      ['done', null],
    ]);
    expect(opened).toHaveLength(0);
  });

  it('does not follow a redirect from a listed receiver to the metadata address', async () => {
    receiver.failNext(1, { kind: 'redirect', location: 'http://169.254.169.254/latest/meta-data/iam/' });
    const res = await postHandoff(n.bot.url, sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-9' }, webhook_url: `${receiver.url}/cb` }));
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    expect((await n.bot.store.handoffs.get(id))!.callbacksEnabled).toBe(true);
    await until(async () => (await n.bot.store.handoffs.get(id))?.slackTs, 5_000, 'card');
    await actAndDrain(id);

    expect(receiver.received[0]!.answeredStatus).toBe(302);
    expect(receiver.received.filter((r) => r.answeredStatus === 200).map((r) => (JSON.parse(r.rawBody) as { type: string }).type)).toEqual(['handoff.claimed', 'handoff.resolved']);
    expect(opened.length).toBe(receiver.received.length);
    for (const o of opened) expect(o).toMatchObject({ host: '127.0.0.1', port: receiver.port });
  });
});
