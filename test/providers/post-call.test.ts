import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  elevenLabsTool,
  elevenLabsToolBody,
  providerPath,
  retellFunctionCall,
  signedCallEnded,
  signRetell,
  signTwilio,
  signVapi,
  twilioConnectAction,
  vapiStatusUpdate,
  vapiToolCalls,
} from '../../sandbox/fakes/voice-platforms.js';
import { api, pairedToken } from '../support/desktop-api.js';
import type { Harness } from '../support/harness.js';
import { until } from '../support/until.js';
import { awaitCard, awaitCardText, cardText, send, startProviderHarness, PUBLIC_URL, VOICE_SECRETS } from '../support/providers.js';

const DAY = 86_400_000;
let now = Date.now();
let h: Harness;
beforeAll(async () => {
  h = await startProviderHarness({ clock: () => now });
});
afterAll(async () => {
  await h.close();
});

function rawBytes(): string {
  const file = join(h.dir, 'handoff.db');
  return [file, `${file}-wal`].filter(existsSync).map((f) => readFileSync(f).toString('latin1')).join('\n');
}

describe('post-call events and a caller who hung up', () => {
  it('shows "caller hung up: call back" on the card, in /handoff status and on the desktop; the summary only in Details, until retention erases it', async () => {
    now = Date.now();
    const callId = 'vapi-call-hangup-1';
    const summary = 'Quentin asked about his quinsy prescription refill';
    await send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId, callerId: '+15555550133', args: { handoff_reason: 'appointment_change', patient_name: 'Quentin Quail' } })), VOICE_SECRETS.vapiSecret));
    const id = (await h.bot.store.providerCalls.find('clinic-after-hours', 'vapi', callId))!;
    const { channel, ts } = await awaitCard(h, id);
    expect(cardText(h, id)).not.toContain('Caller hung up');

    await send(h, 'vapi', signVapi(JSON.stringify(vapiStatusUpdate(callId, 'ended')), VOICE_SECRETS.vapiSecret));
    await send(h, 'vapi', signedCallEnded('vapi', callId, summary, VOICE_SECRETS));
    const card = await awaitCardText(h, id, 'Caller hung up: call back');
    expect(card).toContain('Completed');
    expect(card).not.toContain(summary);

    const status = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: 'status' });
    expect(status.body).toContain(id);
    expect(status.body).toContain('caller hung up: call back');
    const one = await h.slack.sendSlashCommand({ user: 'U0ALICE01', channel: 'C0CLINIC01', text: `status ${id}` });
    expect(one.body).toContain('Caller hung up: call back');
    expect(one.body).not.toContain(summary);

    const token = await pairedToken(h, 'U0ALICE01');
    const view = await api(h.bot.url, 'GET', `/v1/handoffs/${id}`, token);
    expect(view.status).toBe(200);
    expect(view.json).toMatchObject({ id, call_status: 'completed', caller_hung_up: true });
    expect(JSON.stringify(view.json)).not.toContain(summary);

    await h.slack.sendBlockAction({ user: 'U0ALICE01', channel, messageTs: ts, actionId: 'handoff_details', value: id });
    const details = await until(() => h.slack.views({ user: 'U0ALICE01', state: 'open' }).find((v) => v.view.private_metadata === id));
    expect(JSON.stringify(details.view)).toContain(summary);

    // Resolved: nobody needs to call back any more, the flag leaves the card; retention later erases the summary.
    expect((await h.bot.perform({ handoffId: id, action: 'resolve', actor: { kind: 'user', userId: 'U0ALICE01' } })).ok).toBe(true);
    await until(async () => !(await cardText(h, id)).includes('Caller hung up'), 10_000, 'the flag off a resolved card');
    expect(rawBytes()).toContain(summary);
    now += 31 * DAY;
    expect(await h.bot.retention.runOnce()).toMatchObject({ handoffs: 1 });
    expect((await h.bot.store.handoffs.get(id))!.callSummary).toBeNull();
    expect(rawBytes()).not.toContain(summary);
    now = Date.now();
  });

  it('keeps nothing about the caller in the log: no caller id, field value or summary from any platform', async () => {
    now = Date.now();
    const P = {
      retellCaller: '+15555550141',
      vapiCaller: '+15555550142',
      elevenCaller: '+15555550143',
      twilioCaller: '+15555550144',
      name1: 'Xanthippe Quibble',
      name2: 'Ysolde Marchbanks',
      name3: 'Zoltan Featherstonehaugh',
      name4: 'Wilhelmina Sprocket',
      number: '+15555550199',
      summary1: 'Caller mentioned a zeppelin allergy',
      summary2: 'Caller described a kumquat incident',
      summary3: 'Caller asked about a platypus bite',
      badValue: 'not-a-date-quokka',
      message: 'Tell them the walrus is on the way',
    };
    const args = (name: string) => ({ handoff_reason: 'appointment_change', patient_name: name, callback_number: P.number, date_of_birth: P.badValue, caller_message: P.message });
    const r = await send(h, 'retell', signRetell(JSON.stringify(retellFunctionCall({ callId: 'rc-privacy', callerId: P.retellCaller, args: args(P.name1) })), VOICE_SECRETS.retellApiKey));
    const v = await send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId: 'vc-privacy', callerId: P.vapiCaller, args: args(P.name2) })), VOICE_SECRETS.vapiSecret));
    const e = await send(h, 'elevenlabs', elevenLabsTool(JSON.stringify(elevenLabsToolBody({ callId: 'ec-privacy', callerId: P.elevenCaller, args: args(P.name3) })), VOICE_SECRETS.elevenlabsToolToken));
    const t = await send(
      h,
      'twilio',
      signTwilio(PUBLIC_URL + providerPath('twilio', 'clinic-after-hours'), twilioConnectAction({ callId: 'CAprivacy', callerId: P.twilioCaller, args: args(P.name4) }), VOICE_SECRETS.twilioAuthToken),
    );
    expect([r.status, v.status, e.status, t.status]).toEqual([200, 200, 200, 200]);
    // Refused requests carry personal data too: they must not reach the log either.
    expect((await send(h, 'vapi', signVapi(JSON.stringify(vapiToolCalls({ callId: 'vc-privacy-2', callerId: P.vapiCaller, args: args(P.name2) })), 'wrong'))).status).toBe(401);
    await send(h, 'retell', signedCallEnded('retell', 'rc-privacy', P.summary1, VOICE_SECRETS));
    await send(h, 'vapi', signedCallEnded('vapi', 'vc-privacy', P.summary2, VOICE_SECRETS));
    await send(h, 'elevenlabs', signedCallEnded('elevenlabs', 'ec-privacy', P.summary3, VOICE_SECRETS));
    for (const [platform, call] of [['retell', 'rc-privacy'], ['vapi', 'vc-privacy'], ['elevenlabs', 'ec-privacy'], ['twilio', 'CAprivacy']] as const) {
      const id = (await h.bot.store.providerCalls.find('clinic-after-hours', platform, call))!;
      await awaitCardText(h, id, 'Incomplete request');
    }
    const log = h.logs.text;
    expect(log).toContain('handoff accepted');
    expect(log).toContain('call ended');
    for (const [what, value] of Object.entries(P)) expect(log, `${what} in the log`).not.toContain(value);
  });
});
