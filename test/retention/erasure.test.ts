import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';

const DAY = 86_400_000;
const PERSONAL = {
  callerId: '+14155550987',
  patient: 'Zebulon Quartermaine',
  symptoms: 'xylophonic hiccups since Tuesday',
  callback: '+14155550911',
  note: 'Spoke with Zebulon about the quokka bite',
  webhookToken: 'zanzibar-token-77',
};
const STRINGS = Object.values(PERSONAL);

let h: Harness | undefined;
let h2: Harness | undefined;
afterAll(async () => {
  await h?.close();
  await h2?.close();
});

/** Every byte SQLite keeps on disk for this database: the main file and its write-ahead log. */
function rawBytes(dir: string): string {
  const file = join(dir, 'handoff.db');
  const parts = [file, `${file}-wal`, `${file}-journal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
  return parts.join('\n');
}

describe('retention', () => {
  it('erases caller id, fields, notes and the callback URL of a handoff resolved longer ago than retention_days, from the raw file', async () => {
    let now = Date.now();
    h = await startHarness({ clock: () => now, outbox: { paceMs: 0 } });
    const res = await postHandoff(
      h.bot.url,
      sampleHandoff({
        caller_id: PERSONAL.callerId,
        structured_fields: { patient_name: PERSONAL.patient, symptoms: PERSONAL.symptoms, callback_number: PERSONAL.callback },
        webhook_url: `http://127.0.0.1:9/hooks/${PERSONAL.webhookToken}`,
      }),
      { timestampSeconds: now / 1000 },
    );
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    const stillOpen = await postHandoff(h.bot.url, sampleHandoff({ handoff_reason: 'appointment_change' }), { timestampSeconds: now / 1000 });
    const openId = stillOpen.json.handoff_id as string;
    await until(async () => (await h!.bot.store.handoffs.get(id))?.slackTs && (await h!.bot.store.handoffs.get(openId))?.slackTs, 5_000, 'cards');
    const alice = { kind: 'user' as const, userId: 'U0ALICE01' };
    expect((await h.bot.perform({ handoffId: id, action: 'note', actor: alice, noteText: PERSONAL.note })).ok).toBe(true);
    expect((await h.bot.perform({ handoffId: id, action: 'resolve', actor: alice })).ok).toBe(true);

    // The strings are on disk before: the check below is not vacuous.
    const before = rawBytes(h.dir);
    for (const s of STRINGS) expect(before, s).toContain(s);
    // ...and the note is a reply in the card's Slack thread.
    const card = (await h.bot.store.handoffs.get(id))!;
    const noteReplies = () => h!.slack.messages(card.slackChannel!).filter((m) => m.thread_ts === card.slackTs && m.metadata?.event_type === 'handoff_note');
    await until(() => noteReplies().length === 1, 5_000, 'the note in the thread');
    expect(JSON.stringify(noteReplies())).toContain(PERSONAL.note);
    // Slack is down when retention runs: the deletion waits in the outbox and goes out once Slack is back.
    h.slack.faults.serverError('chat.delete', 503, 1);

    now += 29 * DAY;
    expect(await h.bot.retention.runOnce()).toMatchObject({ handoffs: 0 });
    now += 2 * DAY;
    expect(await h.bot.retention.runOnce()).toMatchObject({ handoffs: 1, notes: 1 });

    const after = rawBytes(h.dir);
    for (const s of STRINGS) expect(after, `"${s}" still on disk`).not.toContain(s);

    const erased = (await h.bot.store.handoffs.get(id))!;
    expect(erased).toMatchObject({ id, status: 'resolved', workflowId: 'clinic-after-hours', callerId: null, webhookUrl: null });
    expect(erased.erasedAt).toBe(now);
    expect((await h.bot.store.events.forHandoff(id)).map((e) => e.type)).toEqual(['handoff.received', 'handoff.note_added', 'handoff.resolved', 'handoff.erased']);

    // The note's thread reply is deleted from Slack (after one refused attempt and a retry).
    const deletion = async () => (await h!.bot.store.outbox.forHandoff(id)).find((r) => r.kind === 'slack.delete_notes');
    await until(async () => (await deletion())?.lastError, 5_000, 'the refused chat.delete recorded for a retry');
    expect(noteReplies()).toHaveLength(1);
    now += 10 * 60_000; // past the retry's backoff
    h.bot.outbox.wake();
    await until(() => noteReplies().length === 0, 10_000, 'the note reply deleted');
    expect(JSON.stringify(h.slack.messages(card.slackChannel!))).not.toContain(PERSONAL.note);
    await h.bot.outbox.whenIdle();
    expect((await h.bot.store.outbox.forHandoff(id)).filter((r) => r.kind === 'slack.delete_notes').map((r) => [r.status, r.attempts])).toEqual([['done', 2]]);

    // Metadata stays usable from Slack.
    const one = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: `status ${id}` });
    expect(one.status).toBe(200);
    expect(one.body).toContain(id);
    for (const s of STRINGS) expect(one.body).not.toContain(s);
    const all = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'status' });
    expect(all.status).toBe(200);
    expect(all.body).toContain('1* open');
    expect(all.body).toContain(openId);
    expect(all.body).not.toContain(id);

    // The re-rendered card no longer shows the erased fields either.
    await until(() => !JSON.stringify(h!.slack.message(erased.slackChannel!, erased.slackTs!)!.blocks).includes(PERSONAL.patient), 5_000, 'card re-rendered');
  });

  it('re-renders a card that already shows the resolved handoff when it erases the handoff', async () => {
    let now = Date.now();
    h2 = await startHarness({ clock: () => now, outbox: { paceMs: 0 } });
    const res = await postHandoff(
      h2.bot.url,
      sampleHandoff({ caller_id: PERSONAL.callerId, structured_fields: { patient_name: PERSONAL.patient, symptoms: PERSONAL.symptoms } }),
      { timestampSeconds: now / 1000 },
    );
    const id = res.json.handoff_id as string;
    await until(async () => (await h2!.bot.store.handoffs.get(id))?.slackTs, 5_000, 'card');
    expect((await h2.bot.perform({ handoffId: id, action: 'resolve', actor: { kind: 'user', userId: 'U0ALICE01' } })).ok).toBe(true);
    // The resolve's edit has gone out and is recorded: the card is current when retention runs.
    await h2.bot.outbox.whenIdle();
    const resolved = (await h2.bot.store.handoffs.get(id))!;
    expect(resolved.slackCardVersion).toBe(resolved.version);
    const blocks = () => JSON.stringify(h2!.slack.message(resolved.slackChannel!, resolved.slackTs!)!.blocks);
    expect(blocks()).toContain(PERSONAL.patient);

    now += 31 * DAY;
    expect(await h2.bot.retention.runOnce()).toMatchObject({ handoffs: 1 });
    await h2.bot.outbox.whenIdle();
    for (const s of [PERSONAL.patient, PERSONAL.symptoms, PERSONAL.callerId]) expect(blocks(), `"${s}" still on the card`).not.toContain(s);
    const erased = (await h2.bot.store.handoffs.get(id))!;
    expect(erased.slackCardVersion).toBe(erased.version);
  });
});
