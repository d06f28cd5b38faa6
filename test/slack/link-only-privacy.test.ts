import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retellCallEvent, retellFunctionCall, signRetell } from '../../sandbox/fakes/voice-platforms.js';
import { startSlackEmulator, type BotAnswer, type SlackEmulator, type WireEntry } from '../../sandbox/slack-emulator/index.js';
import { BOT_TOKEN, SIGNING_SECRET, startHarness, TEST_USERS, type Harness } from '../support/harness.js';
import { BOT_PROVIDER_SECRETS, PUBLIC_URL, send, VOICE_SECRETS } from '../support/providers.js';
import { TEST_CHANNELS, TEST_CONFIG_DOC, testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

/**
 * docs/contract/regulated-workflows.md: a `chat_data: link_only` handoff with a caller id, every field type, a caller message
 * and a platform summary goes through its whole life, and nothing the bot sends to Slack (every Web API
 * call, every response_url post, every answer to an interaction) holds any of those values, in any spelling.
 */
const OWNER = 'C0PRIVATE1';
const LEVEL_1 = 'C0PRIVESC1';
const ALICE = 'U0ALICE01';
const BOB = 'U0BOB0001';

const FIELDS = [
  { name: 'patient_name', label: 'Patient full name', type: 'text', required: true },
  { name: 'member_number', label: 'Member number', type: 'number' },
  { name: 'returning_patient', label: 'Returning flag', type: 'boolean' },
  { name: 'date_of_birth', label: 'Born on', type: 'date', sensitive: true },
  { name: 'last_dose_at', label: 'Last dose', type: 'datetime' },
  { name: 'callback_number', label: 'Ring back on', type: 'phone' },
  { name: 'email', label: 'Mail address', type: 'email' },
  { name: 'portal_link', label: 'Portal page', type: 'url' },
  { name: 'preferred_clinic', label: 'Clinic site', type: 'enum', values: ['downtown', 'riverside'] },
  { name: 'symptoms', label: 'Complaint', type: 'text', sensitive: true },
] as const;

const CALLER_ID = '+15555550142';
const VALUES = {
  patient_name: 'Dana Whitfield',
  member_number: 73519,
  returning_patient: true,
  date_of_birth: '1961-07-23',
  last_dose_at: '2026-03-04T05:06:07Z',
  callback_number: '+15555550177',
  email: 'dana.whitfield@example.org',
  portal_link: 'https://portal.example.org/patients/88412',
  preferred_clinic: 'riverside',
  symptoms: 'dizziness after the new prescription',
};
const CALLER_MESSAGE = 'Dana, a nurse rings your mobile within ten minutes';
const SUMMARY = 'Caller Whitfield felt faint and asked for Dr Okafor';

const REGULATED = {
  id: 'regulated-line',
  name: 'Regulated clinic line',
  chat_data: 'link_only',
  owner_channel: OWNER,
  levels: [{ wait: { urgent: '30m' }, channel: LEVEL_1, mention: 'S0ONCALL01' }],
  remind_after: '30m',
  callbacks: false,
  fields: FIELDS,
  reasons: {
    nurse_callback: { label: 'Nurse call-back', severity: 'urgent', notify: ['slack', 'desktop'] },
  },
};
const CONFIG = testConfig((doc) => ({ ...doc, workflows: [...doc.workflows, REGULATED] }) as typeof TEST_CONFIG_DOC);

/** A phone number in any spelling: with or without +, digits only, or digits split by spaces, dots, dashes, brackets. */
function phonePattern(e164: string): RegExp {
  const national = e164.replace(/^\+1/, '');
  return new RegExp(national.split('').join('[^0-9A-Za-z]{0,3}'));
}

/** Every caller value, and the ways it could be spelled in a message. */
const NEEDLES: { what: string; test: (text: string) => boolean }[] = [
  { what: 'caller id', test: (t) => phonePattern(CALLER_ID).test(t) || t.includes(CALLER_ID.slice(1)) },
  { what: 'phone field', test: (t) => phonePattern(VALUES.callback_number).test(t) },
  ...Object.entries(VALUES)
    .filter(([, v]) => typeof v === 'string')
    .map(([k, v]) => ({ what: `field ${k}`, test: (t: string) => t.includes(String(v)) })),
  { what: 'number field', test: (t) => t.includes(String(VALUES.member_number)) },
  { what: 'date field, digits only', test: (t) => t.includes('19610723') || t.includes('23/07/1961') || t.includes('07/23/1961') },
  { what: 'datetime field', test: (t) => t.includes('05:06:07') },
  { what: 'patient surname', test: (t) => t.includes('Whitfield') },
  { what: 'email, escaped or linked', test: (t) => t.includes('dana.whitfield') },
  { what: 'portal link', test: (t) => t.includes('portal.example.org') || t.includes('88412') },
  // A boolean cannot be searched for, its label can: no field label may appear, so no "label: value" line either.
  ...FIELDS.map((f) => ({ what: `field label ${f.label}`, test: (t: string) => t.includes(f.label) })),
  { what: 'caller message', test: (t) => t.includes(CALLER_MESSAGE) || t.includes('rings your mobile') },
  { what: 'platform summary', test: (t) => t.includes(SUMMARY) || t.includes('Okafor') || t.includes('felt faint') },
];

/** The body as Slack reads it: form-decoded, and the JSON strings inside unescaped. */
function readable(body: string): string {
  let text = body;
  try {
    text += `\n${[...new URLSearchParams(body).entries()].map(([k, v]) => `${k}=${v}`).join('\n')}`;
  } catch {
    // not a form
  }
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))).replace(/\\\//g, '/');
}

function leaks(texts: readonly string[]): string[] {
  return texts.flatMap((t, i) => NEEDLES.filter((n) => n.test(readable(t))).map((n) => `#${i}: ${n.what}`));
}

let slack: SlackEmulator;
let h: Harness;
const wire: WireEntry[] = [];
const answers: string[] = [];
/** Every answer the bot gave to an interaction Slack sent (acks: slash command replies, view submission errors). */
async function heard(answer: Promise<BotAnswer>): Promise<BotAnswer> {
  const a = await answer;
  answers.push(a.body);
  expect(a.status).toBe(200);
  return a;
}

beforeAll(async () => {
  slack = await startSlackEmulator({
    botToken: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    channels: [...TEST_CHANNELS, { id: OWNER, name: 'private-line' }, { id: LEVEL_1, name: 'private-oncall' }],
    users: TEST_USERS,
    rateLimits: false,
    wiretap: (e) => wire.push(e),
  });
  // Paced so a burst gets a storm digest; the workers start once the burst is committed.
  h = await startHarness({ slack, config: CONFIG, startWorkers: false, outbox: { paceMs: 150, digestAfterMs: 100 }, settings: { providers: BOT_PROVIDER_SECRETS, publicUrl: PUBLIC_URL } });
});
afterAll(async () => {
  await h?.close();
  await slack?.close();
});

const retellCall = (callId: string, callerId: string, args: Record<string, unknown>) =>
  send(h, 'retell', signRetell(JSON.stringify(retellFunctionCall({ callId, callerId, args })), VOICE_SECRETS.retellApiKey), REGULATED.id);

const row = async (id: string) => (await h.bot.store.handoffs.get(id))!;
const idle = () => until(async () => (await h.bot.store.outbox.stats()).depth === 0, 15_000, 'outbox drained');

describe('a link_only handoff through its whole life (docs/contract/regulated-workflows.md)', () => {
  it('the scanner finds a full workflow’s caller id on its card: the scan can fail', async () => {
    const before = wire.length;
    h.bot.outbox.start();
    const res = await postHandoff(h.bot.url, sampleHandoff({ caller_id: CALLER_ID, handoff_reason: 'appointment_change' }));
    expect(res.status).toBe(202);
    await until(async () => (await row(res.json.handoff_id as string)).slackTs, 10_000, 'the full card');
    expect(leaks(wire.slice(before).map((e) => e.body))).toContain(`#0: caller id`);
    await h.bot.outbox.stop();
    wire.length = 0;
  });

  it('sends Slack nothing that names the caller, from the storm digest to the outcome', async () => {
    // A burst of three regulated handoffs: the channel's pace makes the first post a storm digest.
    const callId = `retell_${randomUUID()}`;
    const args = { handoff_reason: 'nurse_callback', caller_message: CALLER_MESSAGE, ...VALUES };
    const burst = await Promise.all([
      retellCall(callId, CALLER_ID, args),
      retellCall(`retell_${randomUUID()}`, '+15555550143', { ...args, patient_name: 'Dana Whitfield Jr' }),
      retellCall(`retell_${randomUUID()}`, '+15555550144', { ...args, patient_name: 'Ada Whitfield' }),
    ]);
    for (const r of burst) expect(r.status).toBe(200);
    const id = JSON.parse(burst[0]!.text).handoff_id as string;
    expect(await row(id)).toMatchObject({ callerId: CALLER_ID, callerMessage: CALLER_MESSAGE, structuredFields: VALUES });
    // The platform's summary of the call: personal data kept on the server.
    expect((await send(h, 'retell', signRetell(JSON.stringify(retellCallEvent('call_analyzed', callId, SUMMARY)), VOICE_SECRETS.retellApiKey), REGULATED.id)).status).toBe(200);
    expect((await row(id)).callSummary).toBe(SUMMARY);

    h.bot.outbox.start();
    h.bot.digests.start();
    await until(() => slack.messages(OWNER).some((m) => m.metadata?.event_type === 'handoff_digest'), 10_000, 'a storm digest');
    const { slackTs: ts } = await until(async () => ((await row(id)).slackTs ? row(id) : null), 10_000, 'the card');
    const card = slack.message(OWNER, ts!)!;
    expect(JSON.stringify(card.blocks)).toContain('on the Details page');

    // Claim, escalate by someone else (ladder level 1, with a notice to the claimer), a note, a reminder.
    await heard(slack.sendBlockAction({ user: ALICE, channel: OWNER, messageTs: ts!, actionId: 'handoff_claim', value: id }));
    await heard(slack.sendBlockAction({ user: BOB, channel: OWNER, messageTs: ts!, actionId: 'handoff_escalate', value: id }));
    await until(() => slack.messages(LEVEL_1).some((m) => m.metadata?.event_type === 'handoff_escalation'), 10_000, 'the level 1 card');
    await heard(slack.sendBlockAction({ user: ALICE, channel: OWNER, messageTs: ts!, actionId: 'handoff_note', value: id }));
    const noteView = await until(() => slack.views({ user: ALICE, state: 'open' }).at(-1), 5_000, 'the note modal');
    await heard(slack.sendViewSubmission({ viewId: noteView.id, user: ALICE, values: { note: { note_text: 'Rang back, left a voicemail.' } } }));
    h.db.prepare('UPDATE handoffs SET remind_due_at = ? WHERE id = ?').run(Date.now() - 1, id);
    expect(await h.bot.reminders.runDue()).toBe(1);
    await until(() => slack.messages(OWNER).some((m) => m.metadata?.event_type === 'handoff_reminder'), 10_000, 'the reminder');

    // Details: the clicker gets a link to the bot's own page (ephemeral, through the response_url), never the caller's data.
    await heard(slack.sendBlockAction({ user: ALICE, channel: OWNER, messageTs: ts!, actionId: 'handoff_details', value: id }));
    await until(() => slack.ephemerals(ALICE).some((e) => e.text.includes('https://handoff.example.test/v/')), 5_000, 'the Details link');

    // Everything Slack may be asked about the queue and the week.
    await heard(slack.sendSlashCommand({ user: ALICE, channel: OWNER, text: 'status' }));
    await heard(slack.sendSlashCommand({ user: ALICE, channel: OWNER, text: `status ${id}` }));
    await heard(slack.sendSlashCommand({ user: ALICE, channel: OWNER, text: 'mine' }));
    await heard(slack.openAppHome(ALICE));
    await until(() => slack.homeView(ALICE), 5_000, 'App Home');

    // Resolve (Bob, so Alice is told), then the outcome picker amends it.
    await heard(slack.sendBlockAction({ user: BOB, channel: OWNER, messageTs: ts!, actionId: 'handoff_resolve', value: id }));
    await until(async () => (await row(id)).status === 'resolved');
    await until(() => JSON.stringify(slack.message(OWNER, ts!)?.blocks).includes('handoff_outcome'), 10_000, 'the outcome picker');
    await heard(slack.sendBlockAction({ user: ALICE, channel: OWNER, messageTs: ts!, actionId: 'handoff_outcome', selectedOption: `called_back:${id}` }));
    await until(async () => (await row(id)).outcome === 'called_back');
    await heard(slack.sendSlashCommand({ user: ALICE, channel: OWNER, text: 'stats' }));
    await heard(slack.sendSlashCommand({ user: ALICE, channel: OWNER, text: `stats 7d ${REGULATED.id}` }));
    await heard(slack.openAppHome(ALICE));
    await idle();

    // What went out: posts, edits, the digest, thread replies, modals, App Home, ephemerals and answers.
    const methods = new Set(wire.filter((e) => e.kind === 'web_api').map((e) => e.target));
    for (const m of ['chat.postMessage', 'chat.update', 'views.open', 'views.publish']) expect(methods, m).toContain(m);
    expect(wire.some((e) => e.kind === 'response_url')).toBe(true);
    const threadKinds = new Set(slack.messages(OWNER).flatMap((m) => (m.thread_ts ? [m.metadata?.event_type] : [])));
    for (const kind of ['handoff_reminder', 'handoff_claimant_notice', 'handoff_note']) expect(threadKinds, kind).toContain(kind);
    expect(answers.some((a) => a.includes('Handoff status'))).toBe(true);
    expect(answers.some((a) => a.includes('Regulated clinic line'))).toBe(true);

    expect(leaks(wire.map((e) => e.body))).toEqual([]);
    expect(leaks(answers)).toEqual([]);
    // What the emulator now holds for these channels and people, and the bot's log (metadata only).
    const held = [...slack.messages(OWNER), ...slack.messages(LEVEL_1), ...slack.ephemerals(), ...slack.views(), slack.homeView(ALICE)];
    expect(leaks(held.map((x) => JSON.stringify(x)))).toEqual([]);
    expect(leaks([h.logs.text])).toEqual([]);
  });
});
