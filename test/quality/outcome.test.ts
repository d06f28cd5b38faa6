import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { makePendingDue } from '../support/outbox.js';
import { postAndAwaitCard } from '../support/cards.js';
import { CALLBACK_SECRET, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';
import { pairedToken } from '../support/desktop-api.js';

const NOTE = 'Reached Quillon Vasquez-Oduya at home';

let h: Harness;
let receiver: CallbackReceiver;
let aliceToken: string;
beforeAll(async () => {
  receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
  h = await startHarness({ outbox: { paceMs: 0 } });
  aliceToken = await pairedToken(h, 'U0ALICE01');
});
afterAll(async () => {
  await h.close();
  await receiver.close();
});

interface Delivered {
  type: string;
  data: Record<string, unknown>;
}

/** The verified callbacks for one handoff, in arrival order. */
function callbacksFor(id: string): Delivered[] {
  const verifier = new Webhook(CALLBACK_SECRET);
  return receiver.received
    .filter((r) => r.answeredStatus === 200)
    .map((r) => verifier.verify(r.rawBody, r.headers as Record<string, string>) as Delivered)
    .filter((d) => d.data.handoff_id === id);
}

async function awaitCallback(id: string, type: string): Promise<Delivered> {
  return until(
    () => {
      makePendingDue(h);
      return callbacksFor(id).find((d) => d.type === type);
    },
    10_000,
    `${type} callback`,
  );
}

const cardJson = (channel: string, ts: string): string => JSON.stringify(h.slack.message(channel, ts)?.blocks ?? []);

function newCard() {
  return postAndAwaitCard(h, sampleHandoff({ handoff_reason: 'appointment_change', webhook_url: `${receiver.url}/cb` }));
}

function resolveOnDesktop(id: string, body?: unknown, token = aliceToken) {
  return fetch(`${h.bot.url}/v1/handoffs/${id}/resolve`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  }).then(async (res) => ({ status: res.status, json: (await res.json()) as Record<string, unknown> }));
}

describe('outcomes through Slack', () => {
  it('Resolve stays one click (handled); the picker on the resolved card amends it, as an event and a callback of its own', async () => {
    const { id, channel, ts } = await newCard();
    const resolved = await h.slack.sendBlockAction({ user: 'U0ALICE01', channel, messageTs: ts, actionId: 'handoff_resolve', value: id });
    expect(resolved.status).toBe(200);
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ status: 'resolved', outcome: 'handled' });
    expect((await awaitCallback(id, 'handoff.resolved')).data).toMatchObject({ status: 'resolved', outcome: 'handled', actor: 'U0ALICE01' });
    await until(() => cardJson(channel, ts).includes('*Outcome:* Handled'), 5_000, 'the outcome on the card');
    // A resolved card keeps only Reopen and Details beside the picker.
    expect(cardJson(channel, ts)).not.toMatch(/"handoff_(claim|release|escalate|resolve|note)"/);

    // Bob picks "Not needed" in the card's select: a real signed block_actions payload with selected_option.
    const picked = await h.slack.sendBlockAction({ user: 'U0BOB0001', channel, messageTs: ts, actionId: 'handoff_outcome', selectedOption: `not_needed:${id}` });
    expect(picked.status).toBe(200);
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ status: 'resolved', outcome: 'not_needed', resolvedBy: 'U0ALICE01' });
    const amended = await awaitCallback(id, 'handoff.outcome_recorded');
    expect(amended.data).toMatchObject({ handoff_id: id, status: 'resolved', outcome: 'not_needed', actor: 'U0BOB0001' });
    await until(() => cardJson(channel, ts).includes('*Outcome:* Not needed'), 5_000, 'the amended outcome on the card');
    expect((await h.bot.store.events.forHandoff(id)).map((e) => [e.type, e.data.outcome])).toEqual([
      ['handoff.received', undefined],
      ['handoff.resolved', 'handled'],
      ['handoff.outcome_recorded', 'not_needed'],
    ]);

    const timeline = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel, text: `status ${id}` });
    expect(timeline.body).toContain('Resolved by <@U0ALICE01> (Handled)');
    expect(timeline.body).toContain('Outcome set to Not needed by <@U0BOB0001>');
  });

  it('a picked outcome for a handoff that is not resolved, or one the app does not know, changes nothing and says why', async () => {
    const { id, channel, ts } = await newCard();
    // Slack only sends a picker's choice from a resolved card; a stale client or a forged payload is signed and posted raw.
    const pick = async (value: string) => {
      const responseId = h.slack.state.issueResponseUrl({ channel, user: 'U0ALICE01', messageTs: ts });
      const payload = {
        type: 'block_actions',
        user: { id: 'U0ALICE01', username: 'alice', name: 'alice', team_id: 'T0SANDBOX' },
        api_app_id: 'A0HANDOFF',
        token: 'emulator-verification-token',
        container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
        trigger_id: '1.2.3',
        team: { id: 'T0SANDBOX', domain: 'handoff-sandbox' },
        channel: { id: channel, name: 'clinic-handoffs' },
        message: h.slack.message(channel, ts),
        state: { values: {} },
        response_url: `${h.slack.url}response/${responseId}`,
        actions: [
          {
            type: 'static_select',
            action_id: 'handoff_outcome',
            block_id: 'ho_card_outcome',
            selected_option: { text: { type: 'plain_text', text: 'Duplicate' }, value },
            action_ts: '1700000000.000100',
          },
        ],
      };
      const answer = await h.slack.postSigned(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
      expect(answer.status).toBe(200);
    };
    await pick(`duplicate:${id}`);
    await until(() => h.slack.ephemerals('U0ALICE01').some((e) => e.text.includes('is not resolved: Reopen and the outcome apply to resolved handoffs only')), 5_000, 'the refusal');
    await pick(`fixed_it:${id}`);
    await until(() => h.slack.ephemerals('U0ALICE01').some((e) => e.text.includes('not one this app knows')), 5_000, 'the refusal');
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ status: 'open', outcome: null });
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received']);
  });
});

describe('outcomes through the desktop API', () => {
  it('records the outcome and note of POST /resolve on the card, in the callback and in the thread, and never logs the note', async () => {
    const { id, channel, ts } = await newCard();
    const res = await resolveOnDesktop(id, { outcome: 'called_back', note: NOTE });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id, status: 'resolved', outcome: 'called_back', resolved_by: 'U0ALICE01' });
    expect((await awaitCallback(id, 'handoff.resolved')).data).toMatchObject({ outcome: 'called_back' });
    await until(() => cardJson(channel, ts).includes('*Outcome:* Called back'), 5_000, 'the outcome on the card');
    await until(
      () => h.slack.messages(channel).some((m) => m.thread_ts === ts && JSON.stringify(m).includes('Quillon Vasquez-Oduya')),
      5_000,
      'the resolve note in the thread',
    );
    for (const d of callbacksFor(id)) expect(JSON.stringify(d)).not.toContain('Quillon');
    expect(JSON.stringify((await h.bot.store.events.forHandoff(id)))).not.toContain('Quillon');
    expect(h.logs.text).not.toContain('Quillon');
  });

  it('no body means handled', async () => {
    const { id } = await newCard();
    const res = await resolveOnDesktop(id);
    expect(res.status).toBe(200);
    expect(res.json.outcome).toBe('handled');
    expect((await awaitCallback(id, 'handoff.resolved')).data.outcome).toBe('handled');
  });

  it('refuses an unknown outcome, an unknown field and bad JSON, and changes nothing', async () => {
    const { id } = await newCard();
    const unknown = await resolveOnDesktop(id, { outcome: 'fixed_it' });
    expect(unknown.status).toBe(422);
    expect(unknown.json).toMatchObject({ error: 'validation_failed' });
    expect(String(unknown.json.message)).toContain('handled, called_back, no_answer, not_needed, wrong_workflow, duplicate');
    expect((unknown.json.issues as { path: string }[])[0]!.path).toBe('outcome');
    expect((await resolveOnDesktop(id, { outcome: 'handled', notes: 'typo' })).status).toBe(422);
    expect((await resolveOnDesktop(id, '{"outcome":')).json.error).toBe('invalid_json');
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ status: 'open', outcome: null });
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received']);
  });
});

describe('time-to-claim and time-to-resolve histograms', () => {
  it('observe the first claim and the resolve by workflow and reason, with nothing personal in /metrics', async () => {
    const { id } = await newCard();
    const alice = { kind: 'user' as const, userId: 'U0ALICE01' };
    const count = async (metric: string) => {
      const text = await (await fetch(`${h.bot.url}/metrics`)).text();
      const m = new RegExp(`^${metric}_count\\{workflow="clinic-after-hours",reason="appointment_change"\\} (\\d+)$`, 'm').exec(text);
      return { n: m ? Number(m[1]) : 0, text };
    };
    const before = { claim: (await count('handoff_time_to_claim_seconds')).n, resolve: (await count('handoff_time_to_resolve_seconds')).n };
    expect((await h.bot.perform({ handoffId: id, action: 'claim', actor: alice })).ok).toBe(true);
    expect((await h.bot.perform({ handoffId: id, action: 'release', actor: alice })).ok).toBe(true);
    expect((await h.bot.perform({ handoffId: id, action: 'claim', actor: alice })).ok).toBe(true);
    expect((await resolveOnDesktop(id, { outcome: 'not_needed', note: NOTE })).status).toBe(200);
    // The second claim is not a first claim: one observation each.
    expect((await count('handoff_time_to_claim_seconds')).n).toBe(before.claim + 1);
    const after = await count('handoff_time_to_resolve_seconds');
    expect(after.n).toBe(before.resolve + 1);
    for (const secret of ['Quillon', 'Dana Whitfield', '5555550123']) expect(after.text).not.toContain(secret);
  });
});
