import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_USERS } from '../../sandbox/slack-emulator/index.js';
import { postAndAwaitCard } from '../support/cards.js';
import { startHarness, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { sampleHandoff } from '../support/webhooks.js';

const ALICE = SAMPLE_USERS[0]!.id;
const BOB = SAMPLE_USERS[1]!.id;
const EVE = 'U0EVE00001';
/** The `symptoms` field is `sensitive: true` in the test config. */
const SYMPTOMS = 'chest pain since noon, <!channel> & co';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    outbox: { paceMs: 0 },
    // The clinic line is restricted to Alice and Bob, so Eve may not see its details.
    config: testConfig((doc) => {
      (doc.workflows[0] as Record<string, unknown>).allowed_users = [ALICE, BOB];
      return doc;
    }),
  });
});
afterAll(async () => {
  await h.close();
});

function newCard() {
  return postAndAwaitCard(h, sampleHandoff({ structured_fields: { patient_name: 'Dana Whitfield', symptoms: SYMPTOMS } }));
}

/** Everything Slack shows in channels and ephemerally, as one string. */
function everythingPosted(): string {
  const channels = ['C0CLINIC01', 'C0ONCALL01', 'C0BILLING1', 'C0BILLMGR1'].map((c) => h.slack.messages(c));
  const ephemerals = [ALICE, BOB, EVE].map((u) => h.slack.ephemerals(u));
  return JSON.stringify([channels, ephemerals]);
}

interface Button {
  action_id?: unknown;
  value?: unknown;
  text?: { text?: unknown };
}
/** The Details buttons of a posted message, as [value, label] pairs. */
const detailsButtons = (blocks: readonly unknown[]): [unknown, unknown][] =>
  blocks
    .flatMap((b) => ((b as { type?: string }).type === 'actions' ? ((b as { elements: Button[] }).elements ?? []) : []))
    .filter((e) => e.action_id === 'handoff_details')
    .map((e) => [e.value, e.text?.text]);

describe('the Details view', () => {
  it('is a button on the card that opens a modal with the sensitive fields for an allowed user, and only there', async () => {
    const { id, channel, ts } = await newCard();
    const card = h.slack.message(channel, ts)!;
    expect(detailsButtons(card.blocks)).toEqual([[id, 'Details']]);
    expect(JSON.stringify(card)).not.toContain('chest pain');

    const answer = await h.slack.sendBlockAction({ user: ALICE, channel, messageTs: ts, actionId: 'handoff_details' });
    expect(answer.status).toBe(200);
    const opened = await until(() => h.slack.views({ user: ALICE, state: 'open' }).find((v) => v.view.private_metadata === id));
    const view = JSON.stringify(opened.view);
    expect(opened.view).toMatchObject({ callback_id: 'handoff_details_modal', title: { text: 'Handoff details' } });
    expect(view).toContain('🔒 symptoms (sensitive)');
    expect(view).toContain('chest pain since noon, &lt;!channel&gt; &amp; co');
    expect(view).toContain('Dana Whitfield');
    expect(view).toContain('+15555550123');
    expect(view).toContain('Only you can see this. Do not copy sensitive fields into the thread.');

    // Nothing changed: the handoff is still open, and no message anywhere carries the value.
    expect(await h.bot.store.handoffs.get(id)).toMatchObject({ status: 'open', claimedBy: null });
    expect(everythingPosted()).not.toContain('chest pain');
    await until(() => h.logs.text.includes('"action":"details_viewed"'));
    expect(h.logs.lines.some((l) => l.includes(`"handoff_id":"${id}"`) && l.includes('"action":"details_viewed"') && l.includes(`"user_id":"${ALICE}"`))).toBe(true);
    expect(h.logs.text).not.toContain('chest pain');
  });

  it('is on the escalation card too, for a claimed handoff', async () => {
    const { id, channel, ts } = await newCard();
    await h.slack.sendBlockAction({ user: BOB, channel, messageTs: ts, actionId: 'handoff_claim' });
    await h.slack.sendBlockAction({ user: BOB, channel, messageTs: ts, actionId: 'handoff_escalate' });
    const escalation = await until(() =>
      h.slack.messages('C0ONCALL01').find((m) => JSON.stringify(m).includes(id) && JSON.stringify(m).includes('handoff_release')),
    );
    expect(detailsButtons(escalation.blocks)).toEqual([[id, 'Details']]);
    await h.slack.sendBlockAction({ user: BOB, channel: 'C0ONCALL01', messageTs: escalation.ts, actionId: 'handoff_details' });
    const opened = await until(() => h.slack.views({ user: BOB }).find((v) => v.view.private_metadata === id));
    expect(JSON.stringify(opened.view)).toContain('chest pain since noon');
    expect(JSON.stringify(opened.view)).toContain('Claimed, escalated to level 1');
    expect(everythingPosted()).not.toContain('chest pain');
  });

  it('refuses a user outside allowed_users ephemerally and opens no view', async () => {
    const { id, channel, ts } = await newCard();
    const viewsBefore = h.slack.calls.count('views.open');
    const answer = await h.slack.sendBlockAction({ user: EVE, channel, messageTs: ts, actionId: 'handoff_details' });
    expect(answer.status).toBe(200);
    const refusal = await until(() => h.slack.ephemerals(EVE).find((e) => e.text.includes('allowed_users')));
    expect(refusal.text).toBe(
      `You are not on the list of people who may act on Clinic after-hours line handoffs such as *emergency_or_sensitive_request* (Clinic after-hours line, \`${id}\`). Ask an admin to add you to its allowed_users.`,
    );
    expect(h.slack.views({ user: EVE })).toEqual([]);
    expect(h.slack.calls.count('views.open')).toBe(viewsBefore);
    expect(h.logs.lines.some((l) => l.includes(`"handoff_id":"${id}"`) && l.includes('"refusal":"not_allowed"'))).toBe(true);
    expect(everythingPosted()).not.toContain('chest pain');
    expect(h.logs.text).not.toContain('chest pain');
  });

  it('tells the user when Slack refuses the view, logging only the error code', async () => {
    const { id, channel, ts } = await newCard();
    h.slack.faults.slackError('views.open', 'expired_trigger_id', 1);
    await h.slack.sendBlockAction({ user: BOB, channel, messageTs: ts, actionId: 'handoff_details' });
    const told = await until(() => h.slack.ephemerals(BOB).find((e) => e.text.includes('could not be opened')));
    expect(told.text).toBe('The details could not be opened (expired_trigger_id). Try again.');
    expect(h.slack.views({ user: BOB }).some((v) => v.view.private_metadata === id)).toBe(false);
    expect(h.logs.lines.some((l) => l.includes(`"handoff_id":"${id}"`) && l.includes('"err_code":"expired_trigger_id"'))).toBe(true);
    expect(h.logs.text).not.toContain('chest pain');
  });

  it('says so when the handoff does not exist', async () => {
    const { channel, ts } = await newCard();
    await h.slack.sendBlockAction({ user: ALICE, channel, messageTs: ts, actionId: 'handoff_details', value: 'ho_doesnotexist' });
    await until(() => h.slack.ephemerals(ALICE).some((e) => e.text === 'This handoff no longer exists.'));
    expect(h.slack.views({ user: ALICE }).some((v) => v.view.private_metadata === 'ho_doesnotexist')).toBe(false);
  });
});
