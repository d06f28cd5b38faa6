import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBot } from '../../bot/app.js';
import { StartupError } from '../../bot/slack/verify-token.js';
import { startHarness, startTestSlack, tempDir } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';

describe('Slack at start', () => {
  it('does not keep the bot from starting when Slack is down: handoffs are accepted and carded once it is back', async () => {
    const slack = await startTestSlack();
    slack.faults.serverError('auth.test', 503, 1);
    slack.faults.serverError('chat.postMessage', 503, 2);
    const h = await startHarness({ slack, outbox: { paceMs: 0 } });
    try {
      const res = await postHandoff(h.bot.url, sampleHandoff());
      expect(res.status).toBe(202);
      const id = res.json.handoff_id as string;
      await until(
        () => {
          h.db.prepare("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").run();
          h.bot.outbox.wake();
          return slack.messages('C0CLINIC01').some((m) => m.metadata?.event_payload.handoff_id === id);
        },
        10_000,
        'the card after Slack recovers',
      );
      expect(h.logs.text).toContain('Slack is not reachable at start');
    } finally {
      await h.close();
      await slack.close();
    }
  });

  it('stops the start with one clear line when Slack rejects the bot token', async () => {
    const slack = await startTestSlack();
    try {
      const start = createBot({
        settings: {
          port: 0,
          host: '127.0.0.1',
          dbFile: join(tempDir(), 'h.db'),
          webhookKeys: [],
          allowUnsigned: true,
          callbackSecret: null,
          slack: { botToken: 'xoxb-not-the-right-one', signingSecret: 's', apiUrl: slack.apiUrl },
          twilio: null,
          logLevel: 'silent',
        },
        config: testConfig(),
      });
      await expect(start).rejects.toBeInstanceOf(StartupError);
      await expect(start).rejects.toThrow('env SLACK_BOT_TOKEN: Slack rejected the token (invalid_auth)');
    } finally {
      await slack.close();
    }
  });
});
