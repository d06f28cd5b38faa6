import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerPath, signVapi, vapiToolCalls, vapiTransferRequest } from '../../sandbox/fakes/voice-platforms.js';
import type { Harness } from '../support/harness.js';
import { startTestSlack } from '../support/harness.js';
import { postAndAwaitCard } from '../support/cards.js';
import { awaitCard, awaitCardText, cardText, expectJson, send, startProviderHarness, VOICE_SECRETS } from '../support/providers.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

const ALICE = { id: 'U0ALICE01', phone: '+15555550101' };
let h: Harness;

beforeAll(async () => {
  // Slack's own rate limits on, and a real pace: card edits share chat.update's one pace key.
  const slack = await startTestSlack(undefined, { rateLimits: true });
  const config = testConfig((doc) => ({ ...doc, people: { [ALICE.id]: ALICE.phone }, workflows: [{ ...doc.workflows[0]!, connect: { wait: '60s' } }, doc.workflows[1]!] }));
  h = await startProviderHarness({ config, slack, outbox: { paceMs: 200 } });
});
afterAll(async () => {
  const slack = h.slack;
  await h.close();
  await slack.close();
});

const callId = () => `pace-${randomUUID()}`;
const S = VOICE_SECRETS.vapiSecret;
const ask = (id: string, args: Record<string, unknown>, toolCalls?: Parameters<typeof vapiToolCalls>[1]) =>
  send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId: id, callerId: '+14155550987', args }, toolCalls)), S));
const eventsOf = async (id: string, type: string) => (await h.bot.store.events.forHandoff(id)).filter((e) => e.type === type).length;
const cardEdits = async (id: string) => (await h.bot.store.outbox.forHandoff(id)).filter((o) => o.kind === 'slack.update_card');
const handoffOf = (call: string) => until(() => h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', call), 10_000, 'the handoff');

describe('card edits are paced and coalesced per message', () => {
  it('one request with 150 tool calls (near the 64 KiB bound) is one merge: one event, one queued edit, 150 answers', async () => {
    const call = callId();
    expect((await ask(call, { handoff_reason: 'appointment_change', patient_name: 'First' })).status).toBe(200);
    const id = await handoffOf(call);
    await awaitCard(h, id);
    const toolCalls = Array.from({ length: 150 }, (_, i) => ({ id: `tc_${i}`, args: { patient_name: `N${i}` } }));
    const res = await ask(call, { handoff_reason: 'appointment_change' }, toolCalls);
    expect(res.status).toBe(200);
    const json = expectJson(res) as { results: { toolCallId: string }[] };
    expect(json.results.map((r) => r.toolCallId)).toEqual(toolCalls.map((t) => t.id));
    expect(await eventsOf(id, 'handoff.updated')).toBe(1);
    expect(await cardEdits(id)).toHaveLength(1);
    // Every edit is on the update pace, and the card shows the latest state.
    expect((await cardEdits(id)).every((o) => o.paceKey === 'slack.update')).toBe(true);
    await awaitCardText(h, id, 'N149');
  });

  it('a burst of different requests on one call makes few edits with the latest state, and an unrelated Claim shows at once', async () => {
    const call = callId();
    expect((await ask(call, { handoff_reason: 'appointment_change', patient_name: 'Burst 0' })).status).toBe(200);
    const id = await handoffOf(call);
    await awaitCard(h, id);
    const other = await postAndAwaitCard(h, sampleHandoff({ workflow_id: 'billing', handoff_reason: 'billing_question', structured_fields: { account_number: 'AC-5' } }));
    for (let i = 1; i <= 60; i++) expect((await ask(call, { handoff_reason: 'appointment_change', patient_name: `Burst ${i}` })).status).toBe(200);
    expect(await eventsOf(id, 'handoff.updated')).toBe(60);
    // At most one edit of this card waits at any time, however many changes came.
    expect((await cardEdits(id)).filter((o) => o.status === 'pending').length).toBeLessThanOrEqual(1);
    const started = Date.now();
    const claim = await h.slack.sendBlockAction({ user: ALICE.id, channel: other.channel, messageTs: other.ts, actionId: 'handoff_claim', value: other.id });
    expect(claim.status).toBe(200);
    await until(async () => (await cardText(h, other.id)).includes('Claimed by'), 5_000, 'the unrelated claim on its card');
    expect(Date.now() - started).toBeLessThan(5_000);
    await awaitCardText(h, id, 'Burst 60');
    expect((await cardEdits(id)).length).toBeLessThan(20);
  });

  it('repeated transfer requests of one call add one waiting event and one edit', async () => {
    const call = callId();
    const transfer = () => {
      const req = signVapi(JSON.stringify(vapiTransferRequest(call, '+14155550987')), S);
      return fetch(`${h.bot.url}${providerPath('vapi', 'clinic-after-hours')}`, { method: 'POST', headers: req.headers, body: req.body }).then(async (r) => (await r.json()) as Record<string, unknown>);
    };
    const first = transfer();
    const id = await handoffOf(call);
    await until(async () => (await eventsOf(id, 'handoff.caller_waiting')) === 1, 10_000, 'the first wait');
    const held = [first, ...Array.from({ length: 100 }, transfer)];
    await until(() => h.bot.connect.waiting === 101, 10_000, 'every request held');
    expect(await eventsOf(id, 'handoff.caller_waiting')).toBe(1);
    const card = await awaitCard(h, id);
    await h.slack.sendBlockAction({ user: ALICE.id, channel: card.channel, messageTs: card.ts, actionId: 'handoff_claim', value: id });
    for (const answer of await Promise.all(held)) expect(answer).toMatchObject({ destination: { type: 'number', number: ALICE.phone } });
    expect(await eventsOf(id, 'handoff.caller_waiting')).toBe(1);
    expect(await eventsOf(id, 'handoff.caller_connected')).toBe(1);
  });
});
