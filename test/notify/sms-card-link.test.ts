import { createServer, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { SMS_CARD_WAIT_MS } from '../../bot/sms/card-link.js';
import { startHarness, startTestSlack, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

const ON_CALL = ['+15555550100', '+15555550101', '+15555550102'];

let h: Harness | undefined;
let slack: SlackEmulator | undefined;
let twilio: TwilioFake | undefined;
afterEach(async () => {
  await h?.close();
  await slack?.close();
  await twilio?.close();
  h = slack = twilio = undefined;
});

/** The bot with Slack's rate limits on, the outbox paced as in production, Twilio, and `publicUrl` as HANDOFF_PUBLIC_URL. */
async function start(publicUrl: (botUrl: string) => string | null): Promise<Harness> {
  slack = await startTestSlack(undefined, { rateLimits: true });
  twilio = await startTwilioFake();
  const config = testConfig((doc) => {
    doc.workflows[0]!.sms_to = [...ON_CALL];
    return doc;
  });
  const settings = { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: '+15555550000', apiUrl: twilio.url } };
  // The public URL is the bot's own address: take a free port first so it is known before the bot starts.
  const port = await freePort();
  const url = publicUrl(`http://127.0.0.1:${port}`);
  h = await startHarness({ slack, config, outbox: { paceMs: 1_000 }, settings: { ...settings, port, ...(url ? { publicUrl: url } : {}) } });
  return h;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const linkOf = (body: string): string => body.split(' ').at(-1)!;

describe('the on-call SMS of an urgent handoff links to its card', () => {
  it('every SMS, the first included, carries the card permalink when the card goes out at its usual pace', async () => {
    const { bot } = await start(() => null);
    const res = await postHandoff(bot.url, sampleHandoff());
    expect(res.status).toBe(202);
    const id = res.json.handoff_id as string;
    await until(() => twilio!.messages.length === ON_CALL.length, 20_000, 'every on-call SMS sent');
    const permalink = (await bot.store.handoffs.get(id))!.slackPermalink;
    expect(permalink).toMatch(/^https?:\/\//);
    expect(twilio!.messages.map((m) => m.to)).toEqual(ON_CALL);
    for (const m of twilio!.messages) expect(linkOf(m.body)).toBe(permalink);
  });

  it("does not wait on Slack's pace: a card held by a 429 leaves the SMS with the bot's link, which opens the card once it is posted", async () => {
    const { bot } = await start((url) => url);
    // The card's post is refused for longer than an SMS may wait for it.
    const retryAfterSec = Math.ceil(SMS_CARD_WAIT_MS / 1000) + 3;
    slack!.faults.rateLimit('chat.postMessage', retryAfterSec, 1);
    const res = await postHandoff(bot.url, sampleHandoff());
    const id = res.json.handoff_id as string;

    await until(() => twilio!.messages.length >= 1, 20_000, 'the first SMS');
    expect((await bot.store.handoffs.get(id))!.slackTs, 'the SMS went out before the card').toBeNull();
    const link = linkOf(twilio!.messages[0]!.body);
    expect(link).toBe(`${bot.url}/h/${id}`);

    // Before the card exists, the link says it is coming and looks again by itself.
    const waiting = await fetch(link, { redirect: 'manual' });
    expect(waiting.status).toBe(200);
    expect(waiting.headers.get('cache-control')).toBe('no-store');
    expect(await waiting.text()).toContain('http-equiv="refresh"');

    // Once Slack lets the card out, the same link redirects to it.
    const permalink = await until(async () => (await bot.store.handoffs.get(id))?.slackPermalink, 30_000, 'the card and its permalink');
    const opened = await fetch(link, { redirect: 'manual' });
    expect(opened.status).toBe(302);
    expect(opened.headers.get('location')).toBe(permalink);
    await until(() => twilio!.messages.length === ON_CALL.length, 20_000, 'every on-call SMS sent');
    for (const m of twilio!.messages) expect([link, permalink]).toContain(linkOf(m.body));
  });

  it('the card link answers 404 for an unknown or malformed id and 405 for another method', async () => {
    const { bot } = await start(() => null);
    expect((await fetch(`${bot.url}/h/ho_00000000000000000000000000`)).status).toBe(404);
    expect((await fetch(`${bot.url}/h/not-an-id`)).status).toBe(404);
    expect((await fetch(`${bot.url}/h/ho_00000000000000000000000000`, { method: 'POST' })).status).toBe(405);
  });
});
