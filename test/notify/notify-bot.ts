import { rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { createBot, type Bot, type BotDeps } from '../../bot/app.js';
import type { HandoffConfig } from '../../bot/config/load-config.js';
import { createLogger } from '../../bot/observability/logger.js';
import type { BotSettings } from '../../bot/settings.js';
import { decodeWebhookSecret } from '../../shared/standard-webhooks.js';
import { startSlackEmulator, type SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { BOT_TOKEN, CALLBACK_SECRET, LogCapture, SIGNING_SECRET, tempDir, TEST_USERS } from '../support/harness.js';
import { TEST_CHANNELS } from '../support/test-config.js';
import { TEST_SECRET } from '../support/webhooks.js';

/** Every outgoing callback connection the guard opened: where the socket was told to go. */
export interface OpenedRequest {
  host: string;
  port: number | undefined;
  path: string;
}

export interface NotifyBot {
  bot: Bot;
  slack: SlackEmulator;
  logs: LogCapture;
  opened: OpenedRequest[];
  close(): Promise<void>;
}

/**
 * Like the shared harness, plus the callback guard's seams: a resolver the test controls and a
 * request function that records every connection before it is made.
 */
export async function startNotifyBot(opts: {
  config: HandoffConfig;
  settings?: Partial<BotSettings>;
  resolve?: NonNullable<BotDeps['callbackGuard']>['resolve'];
}): Promise<NotifyBot> {
  const dir = tempDir('handoff-notify-');
  const slack = await startSlackEmulator({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, channels: TEST_CHANNELS, users: TEST_USERS });
  const logs = new LogCapture();
  const opened: OpenedRequest[] = [];
  const settings: BotSettings = {
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'handoff.db'),
    webhookKeys: [decodeWebhookSecret(TEST_SECRET)],
    allowUnsigned: false,
    callbackSecret: CALLBACK_SECRET,
    publicUrl: null,
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    twilio: null,
    logLevel: 'debug',
    ...opts.settings,
  };
  const bot = await createBot({
    settings,
    config: opts.config,
    logger: createLogger('debug', logs),
    outbox: { paceMs: 0 },
    callbackGuard: {
      ...(opts.resolve ? { resolve: opts.resolve } : {}),
      request: (o) => {
        opened.push({ host: String(o.host), port: o.port === undefined || o.port === null ? undefined : Number(o.port), path: String(o.path) });
        return http.request(o);
      },
    },
  });
  slack.setBotEventsUrl(`${bot.url}/slack/events`);
  return {
    bot,
    slack,
    logs,
    opened,
    async close() {
      await bot.close();
      await slack.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
