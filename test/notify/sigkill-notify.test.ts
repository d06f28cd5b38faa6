import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';
import { startCallbackReceiver, type CallbackReceiver } from '../../sandbox/fakes/callback-receiver.js';
import { startTwilioFake, type TwilioFake } from '../../sandbox/fakes/twilio-fake.js';
import type { SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { CALLBACK_SECRET, startTestSlack, tempDir } from '../support/harness.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { pendingRowsInFile } from '../support/raw-rows.js';

const ON_CALL = ['+15555550100', '+15555550101'];
let slack: SlackEmulator | undefined;
let twilio: TwilioFake | undefined;
let receiver: CallbackReceiver | undefined;
let bot: BotProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  await bot?.kill();
  await slack?.close();
  await twilio?.close();
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  bot = slack = twilio = receiver = dir = undefined;
});

describe('SMS and status callbacks across a SIGKILL', () => {
  it('sends one SMS per on-call number and one callback per event after the bot is killed mid-retry and restarted', async () => {
    dir = tempDir('handoff-notify-kill-');
    slack = await startTestSlack();
    twilio = await startTwilioFake();
    receiver = await startCallbackReceiver({ secret: CALLBACK_SECRET });
    const config = structuredClone(TEST_CONFIG_DOC);
    config.workflows[0]!.sms_to = [...ON_CALL];
    const start = () =>
      startBotProcess({
        dir: dir!,
        slackApiUrl: slack!.apiUrl,
        config,
        env: { TWILIO_ACCOUNT_SID: twilio!.accountSid, TWILIO_AUTH_TOKEN: twilio!.authToken, TWILIO_FROM: '+15555550000', TWILIO_API_URL: twilio!.url },
      });

    // Twilio and the agent platform fail for now: the SMS and the callback stay in the outbox.
    twilio.failNext(1000, { kind: 'status', status: 500 });
    receiver.failNext(1000, { kind: 'status', status: 503 });
    bot = await start();
    slack.setBotEventsUrl(`${bot.url}/slack/events`);
    const res = await postHandoff(bot.url, sampleHandoff({ webhook_url: `${receiver.url}/status` }));
    expect(res.status).toBe(202);
    expect(res.json.owner_notified).toContain('sms');
    const id = res.json.handoff_id as string;
    const card = await until(() => slack!.messages('C0CLINIC01').find((m) => m.metadata?.event_payload.handoff_id === id), 10_000, 'the card');
    await slack.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC01', messageTs: card.ts, actionId: 'handoff_claim', value: id });
    await until(() => twilio!.requests.length >= 2 && receiver!.received.length >= 1, 10_000, 'failed first attempts');

    await bot.kill('SIGKILL');
    expect(twilio.messages).toHaveLength(0);
    twilio.reset();
    receiver.reset();
    // Skip the backoff the rows were waiting out; the bot is down, so nothing else writes the file.
    const db = new Database(bot.dbFile);
    db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").run();
    db.close();

    bot = await start();
    await until(() => twilio!.messages.length >= 2 && receiver!.received.some((r) => r.answeredStatus === 200), 15_000, 'delivery after restart');
    // Every SMS and callback row has finished: a duplicate, if there were one, is in by now.
    await until(() => pendingRowsInFile(bot!.dbFile, ['sms.send', 'callback.send']) === 0, 15_000, 'every SMS and callback finished');
    expect(twilio.messages.map((m) => m.to).sort()).toEqual([...ON_CALL].sort());
    const delivered = receiver.received.filter((r) => r.answeredStatus === 200);
    expect(delivered).toHaveLength(1);
    const verified = new Webhook(CALLBACK_SECRET).verify(delivered[0]!.rawBody, delivered[0]!.headers as Record<string, string>) as { type: string; data: { handoff_id: string } };
    expect(verified).toMatchObject({ type: 'handoff.claimed', data: { handoff_id: id } });
    for (const sms of twilio.messages) expect(sms.body).not.toContain('5555550123');
  }, 60_000);
});
