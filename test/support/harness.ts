import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createBot, type Bot, type BotDeps } from '../../bot/app.js';
import type { HandoffConfig } from '../../bot/config/load-config.js';
import { createLogger } from '../../bot/observability/logger.js';
import type { BotSettings } from '../../bot/settings.js';
import { decodeWebhookSecret } from '../../shared/standard-webhooks.js';
import { SAMPLE_USERS, startSlackEmulator, type EmulatorChannel, type SlackEmulator } from '../../sandbox/slack-emulator/index.js';
import { TEST_CHANNELS, testConfig } from './test-config.js';
import { TEST_SECRET } from './webhooks.js';

export const BOT_TOKEN = 'xoxb-test-token';
export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const CALLBACK_SECRET = 'whsec_Y2FsbGJhY2stc2VjcmV0LWZvci10ZXN0cy0xMjM=';

/** The emulator's sample users, plus 50 racers (U0RACE0000…) and Eve (U0EVE00001) for tests. */
export const TEST_USERS = [
  ...SAMPLE_USERS,
  ...Array.from({ length: 50 }, (_, i) => ({ id: `U0RACE${String(i).padStart(4, '0')}`, name: `racer${i}`, real_name: `Racer ${i}` })),
  { id: 'U0EVE00001', name: 'eve', real_name: 'Eve Outsider' },
];

export class LogCapture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, cb: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    cb();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface Harness {
  bot: Bot;
  slack: SlackEmulator;
  dir: string;
  logs: LogCapture;
  config: HandoffConfig;
  /** A second connection to the bot's SQLite file (opened on first use), to inspect or arrange rows. */
  readonly db: Database.Database;
  close(): Promise<void>;
}

/** A connection of the test's own to a bot's SQLite file (WAL: it sees what has committed). */
export function openTestDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('busy_timeout = 5000');
  return db;
}

export interface HarnessOptions {
  config?: HandoffConfig;
  settings?: Partial<BotSettings>;
  clock?: () => number;
  dir?: string;
  slack?: SlackEmulator;
  outbox?: { paceMs?: number; idleMs?: number; digestAfterMs?: number };
  startWorkers?: boolean;
  desktopApi?: BotDeps['desktopApi'];
  callbackGuard?: BotDeps['callbackGuard'];
  callBackRateLimit?: BotDeps['callBackRateLimit'];
}

/**
 * A Slack emulator that knows the test bot's token and signing secret, `channels` and TEST_USERS.
 * Slack's rate limits are off unless asked for (`rateLimits: true`): most tests run the outbox unpaced.
 */
export function startTestSlack(channels: EmulatorChannel[] = TEST_CHANNELS, opts: { rateLimits?: boolean } = {}): Promise<SlackEmulator> {
  return startSlackEmulator({ botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, channels, users: TEST_USERS, ...(opts.rateLimits ? {} : { rateLimits: false }) });
}

export function tempDir(prefix = 'handoff-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A real bot on a loopback port with a real SQLite file, talking to a real Slack emulator. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = opts.dir ?? tempDir();
  const slack = opts.slack ?? (await startTestSlack());
  const logs = new LogCapture();
  const config = opts.config ?? testConfig();
  const settings: BotSettings = {
    port: 0,
    host: '127.0.0.1',
    dbFile: join(dir, 'handoff.db'),
    webhookKeys: [decodeWebhookSecret(TEST_SECRET)],
    allowUnsigned: false,
    callbackSecret: CALLBACK_SECRET,
    slack: { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: slack.apiUrl },
    twilio: null,
    logLevel: 'info',
    ...opts.settings,
  };
  const bot = await createBot({ settings, config, clock: opts.clock, logger: createLogger('debug', logs), outbox: opts.outbox,
    startWorkers: opts.startWorkers,
    desktopApi: opts.desktopApi,
    callbackGuard: opts.callbackGuard,
    callBackRateLimit: opts.callBackRateLimit,
  });
  slack.setBotEventsUrl(`${bot.url}/slack/events`);
  let db: Database.Database | null = null;
  return {
    bot,
    slack,
    dir,
    logs,
    config,
    get db() {
      db ??= openTestDb(settings.dbFile);
      return db;
    },
    async close() {
      db?.close();
      await bot.close();
      if (!opts.slack) await slack.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
