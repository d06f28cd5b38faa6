import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { api, openRawSse, pairedToken } from '../support/desktop-api.js';
import { startHarness, startTestSlack, tempDir, type Harness } from '../support/harness.js';
import { TEST_CONFIG_DOC, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { rmSync } from 'node:fs';

const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001'; // named in retired_workflows_visible_to
const EVE = 'U0EVE00001';
const UNKNOWN = `ho_${'z'.repeat(26)}`; // well-formed, never issued

// A restricted "VIP secret line" (Alice only) and the billing line (Alice only) first; then the VIP line
// leaves the config and the bot restarts: its handoffs must not fall open to everyone.
const VIP = {
  ...structuredClone(TEST_CONFIG_DOC.workflows[1]!),
  id: 'vip-secret-line',
  name: 'VIP secret line',
  owner_channel: 'C0CLINIC01',
  allowed_users: [ALICE],
};
const withVip = () => testConfig((doc) => ({ ...doc, workflows: [...doc.workflows.map((w) => (w.id === 'billing' ? { ...w, allowed_users: [ALICE] } : w)), VIP] }));
const vipRetired = () =>
  testConfig((doc) => ({ ...doc, retired_workflows_visible_to: [BOB], workflows: doc.workflows.map((w) => (w.id === 'billing' ? { ...w, allowed_users: [ALICE] } : w)) }));

let dir: string;
let slack: SlackEmulator;
let h: Harness;
let vip: string;
let vipClaimed: string;
let billing: string;
let clinic: string;

beforeAll(async () => {
  dir = tempDir();
  slack = await startTestSlack();
  const first = await startHarness({ dir, slack, config: withVip(), outbox: { paceMs: 0 } });
  const post = async (body: Record<string, unknown>) => {
    const res = await postHandoff(first.bot.url, sampleHandoff(body));
    expect(res.status).toBe(202);
    return res.json.handoff_id as string;
  };
  vip = await post({ workflow_id: 'vip-secret-line', handoff_reason: 'billing_question', severity: 'urgent', caller_id: '+15555550999', structured_fields: { account_number: 'VIP-1' } });
  billing = await post({ workflow_id: 'billing', handoff_reason: 'billing_question', severity: 'urgent', structured_fields: { account_number: 'AC-7' } });
  clinic = await post({});
  // Claimed by Alice while she was allowed: after the workflow leaves, it must leave her lists too.
  vipClaimed = await post({ workflow_id: 'vip-secret-line', handoff_reason: 'billing_question', severity: 'low', caller_id: '+15555550998', structured_fields: { account_number: 'VIP-2' } });
  expect((await first.bot.perform({ handoffId: vipClaimed, action: 'claim', actor: { kind: 'user', userId: ALICE } })).ok).toBe(true);
  await first.close();
  h = await startHarness({ dir, slack, config: vipRetired(), outbox: { paceMs: 0 } });
});
afterAll(async () => {
  await h.close();
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

const status = async (user: string, text: string) => {
  const answer = await slack.sendSlashCommand({ user, channel: 'C0CLINIC01', text });
  expect(answer.status).toBe(200);
  return answer.body;
};
/** The unknown-id answer with the id asked about taken out, to compare answers about different ids. */
const shape = (body: string, id: string) => body.split(id).join('<id>');

describe('a handoff whose workflow left the config fails closed; outsiders get the unknown-id answer', () => {
  it('/handoff status <id>: a retired or restricted handoff answers an outsider exactly as an unknown id does', async () => {
    const unknownId = UNKNOWN;
    const unknown = shape(await status(EVE, `status ${unknownId}`), unknownId);
    for (const id of [vip, billing]) {
      const answer = await status(EVE, `status ${id}`);
      expect(shape(answer, id)).toBe(unknown);
      expect(answer).not.toContain('VIP');
      expect(answer).not.toContain('Billing');
      expect(answer).not.toContain('5555550999');
    }
    // Alice may act on billing but the VIP line's allowed_users went with it: she gets the unknown answer too.
    expect(shape(await status(ALICE, `status ${vip}`), vip)).toBe(unknown);
    expect(await status(ALICE, `status ${billing}`)).toContain('Billing line');
    // The person the config names sees the retired handoff and its timeline.
    const bob = await status(BOB, `status ${vip}`);
    expect(bob).not.toBe(unknown);
    expect(bob).toContain(vip);
  });

  it('/handoff status lists and counts neither for an outsider; the named person sees the retired one', async () => {
    const eve = await status(EVE, 'status');
    expect(eve).not.toContain(vip);
    expect(eve).not.toContain(billing);
    expect(eve).toContain(clinic);
    expect(eve).toContain('*1* open');
    const bob = await status(BOB, 'status');
    expect(bob).toContain(vip);
    expect(bob).toContain(clinic);
    expect(bob).not.toContain(billing);
    expect(bob).toContain('*2* open');
  });

  it('/handoff mine and App Home leave out a retired handoff its claimer may no longer see', async () => {
    const mine = await status(ALICE, 'mine');
    expect(mine).not.toContain(vipClaimed);
    expect(mine).not.toContain('5555550998');
    const before = slack.homeView(ALICE)?.hash;
    expect((await slack.openAppHome(ALICE)).status).toBe(200);
    const view = await until(() => {
      const v = slack.homeView(ALICE);
      return v && v.hash !== before ? v : null;
    }, 5_000, 'the Home tab of Alice');
    const text = JSON.stringify(view.view.blocks);
    expect(text).toContain(clinic);
    expect(text).not.toContain(vipClaimed);
    // The person the config names still finds it in the queue.
    expect(await status(BOB, 'status')).toContain(vipClaimed);
  });

  it('App Home shows an outsider nothing of a retired workflow', async () => {
    for (const [user, sees] of [[EVE, false], [BOB, true]] as const) {
      const before = slack.homeView(user)?.hash;
      expect((await slack.openAppHome(user)).status).toBe(200);
      const view = await until(() => {
        const v = slack.homeView(user);
        return v && v.hash !== before ? v : null;
      }, 5_000, `the Home tab of ${user}`);
      const text = JSON.stringify(view.view.blocks);
      expect(text.includes(vip), user).toBe(sees);
      expect(text).toContain(clinic);
    }
  });

  it('the desktop API answers a retired handoff with the unknown-id 404, and its stream leaves it out', async () => {
    const eve = await pairedToken(h, EVE);
    const unknown = await api(h.bot.url, 'GET', `/v1/handoffs/${UNKNOWN}`, eve);
    const retired = await api(h.bot.url, 'GET', `/v1/handoffs/${vip}`, eve);
    expect(retired.status).toBe(404);
    expect(retired.json).toEqual(unknown.json);
    expect((await api(h.bot.url, 'POST', `/v1/handoffs/${vip}/claim`, eve)).json).toEqual((await api(h.bot.url, 'POST', `/v1/handoffs/${UNKNOWN}/claim`, eve)).json);
    const bob = await pairedToken(h, BOB);
    expect((await api(h.bot.url, 'GET', `/v1/handoffs/${vip}`, bob)).status).toBe(200);

    const eveStream = await openRawSse(h.bot.url, eve);
    const bobStream = await openRawSse(h.bot.url, bob);
    try {
      // Both snapshots carry the urgent clinic handoff; only Bob's carries the retired one.
      await eveStream.waitFor((e) => e.handoff.id === clinic, 5_000);
      await bobStream.waitFor((e) => e.handoff.id === vip, 5_000);
      await bobStream.waitFor((e) => e.handoff.id === clinic, 5_000);
      expect(eveStream.events.some((e) => e.handoff.id === vip)).toBe(false);
    } finally {
      eveStream.close();
      bobStream.close();
    }
  });

  it('a Claim on the retired card by someone not named is refused and changes nothing', async () => {
    const row = (await h.bot.store.handoffs.get(vip))!;
    const answer = await slack.sendBlockAction({ user: EVE, channel: row.slackChannel!, messageTs: row.slackTs!, actionId: 'handoff_claim', value: vip });
    expect(answer.status).toBe(200);
    // The retired workflow has no allowed_users any more: the refusal names the key that lets a person in.
    const refusal = await until(() => slack.ephemerals(EVE).find((m) => JSON.stringify(m).includes(vip) && JSON.stringify(m).includes('act on')), 5_000, 'the refusal');
    expect(JSON.stringify(refusal)).toContain('no longer in the handoff config');
    expect(JSON.stringify(refusal)).toContain('retired_workflows_visible_to');
    expect(JSON.stringify(refusal)).not.toContain('allowed_users');
    expect((await h.bot.store.handoffs.get(vip))!.status).toBe('open');
    expect((await h.bot.perform({ handoffId: vip, action: 'claim', actor: { kind: 'user', userId: BOB } })).ok).toBe(true);
  });
});
