// `npm run sandbox` in one process: the Slack emulator (which also serves the
// page), the Twilio fake, the callback receiver and the REAL bot (createBot)
// with the sample config, fresh secrets and its own SQLite file, plus the
// desktop app's window under /desktop/ (paired as Alice).
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBot, type Bot } from '../bot/app.js';
import { loadConfigFile, type HandoffConfig } from '../bot/config/load-config.js';
import { createLogger, type Logger } from '../bot/observability/logger.js';
import type { BotSettings } from '../bot/settings.js';
import { decodeWebhookSecret } from '../shared/standard-webhooks.js';
import { startSandboxDesktop, type SandboxDesktop } from './desktop/start-desktop.js';
import { startCallbackReceiver, type CallbackReceiver } from './fakes/callback-receiver.js';
import { startTwilioFake, type TwilioFake } from './fakes/twilio-fake.js';
import { commandUsage } from '../bot/slack/interactions/route-table.js';
import { voiceEnv, type VoiceSecrets } from './fakes/voice-platforms.js';
import { providerSecretsFrom } from '../bot/providers/index.js';
import { createPageHandler } from './page/page-server.js';
import { SAMPLE_USERS, startSlackEmulator, type EmulatorChannel, type FallbackHandler, type SlackEmulator } from './slack-emulator/index.js';

export const SANDBOX_CONFIG_FILE = join(import.meta.dirname, 'sandbox.config.yaml');
export const DEFAULT_SANDBOX_PORT = 4000;

/** Names for the config's channel ids, as a workspace would have them. */
export const SANDBOX_CHANNELS: readonly EmulatorChannel[] = [
  { id: 'C0CLINIC01', name: 'clinic-handoffs' },
  { id: 'C0ONCALL01', name: 'clinic-oncall' },
  { id: 'C0BILLING1', name: 'billing-handoffs' },
  { id: 'C0BILLMGR1', name: 'billing-managers' },
  { id: 'C0MENTAL01', name: 'counselling-handoffs' },
];

/** The emulator has no user groups; the page shows these names for `<!subteam^…>`. */
export const SANDBOX_USERGROUPS: Readonly<Record<string, string>> = { S0ONCALL01: 'clinic-oncall-team' };

export const SANDBOX_SMS_FROM = '+15555550999';

export interface SandboxOptions {
  /** Port of the page (and the emulator). 0 = any free port; a busy port falls back to a free one. Default 4000. */
  port?: number;
  host?: string;
  /** Where the SQLite file goes; default a fresh temp dir removed on close (the emulator forgets on restart too). */
  dataDir?: string;
  configFile?: string;
  logger?: Logger;
  logLevel?: string;
}

export interface Sandbox {
  /** The page, e.g. http://127.0.0.1:4000/ */
  url: string;
  /** Said at start when the asked-for port was busy and another was taken; null otherwise. */
  portNote: string | null;
  bot: Bot;
  slack: SlackEmulator;
  twilio: TwilioFake;
  callbacks: CallbackReceiver;
  /** The desktop app (real controller, paired as Alice); its window is at `desktop.url`. */
  desktop: SandboxDesktop;
  config: HandoffConfig;
  dbFile: string;
  close(): Promise<void>;
}

function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

async function startEmulatorOnPort(opts: Parameters<typeof startSlackEmulator>[0], port: number): Promise<SlackEmulator> {
  try {
    return await startSlackEmulator({ ...opts, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || port === 0) throw err;
    return startSlackEmulator({ ...opts, port: 0 });
  }
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const config = loadConfigFile(options.configFile ?? SANDBOX_CONFIG_FILE);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'handoff-sandbox-'));
  mkdirSync(dataDir, { recursive: true });
  const dbFile = join(dataDir, 'handoff.db');
  const webhookSecret = newWebhookSecret();
  const callbackSecret = newWebhookSecret();
  const botToken = `xoxb-sandbox-${randomBytes(12).toString('hex')}`;
  const signingSecret = randomBytes(24).toString('hex');
  const host = options.host ?? '127.0.0.1';

  const started: { close(): Promise<void> }[] = [];
  try {
    const twilio = await startTwilioFake();
    started.push(twilio);
    const callbacks = await startCallbackReceiver({ secret: callbackSecret });
    started.push(callbacks);

    let botUrl = '';
    // Fresh secrets per run, as for Slack: the page signs its voice-platform samples with these.
    const voice: VoiceSecrets = {
      retellApiKey: `key_${randomBytes(12).toString('hex')}`,
      vapiSecret: randomBytes(16).toString('hex'),
      elevenlabsWebhookSecret: `wsec_${randomBytes(16).toString('hex')}`,
      elevenlabsToolToken: randomBytes(16).toString('hex'),
      twilioAuthToken: randomBytes(16).toString('hex'),
      // Twilio signs the public URL it calls; replaced by the page's origin once it listens (below).
      publicUrl: 'https://handoff.sandbox.invalid',
    };
    let emulator: SlackEmulator | null = null;
    const page = createPageHandler({
      voice,
      emulator: () => emulator,
      commands: commandUsage(),
      botUrl: () => botUrl,
      webhookSecret,
      callbackUrl: `${callbacks.url.replace(/\/$/, '')}/status`,
      config,
      usergroups: { ...SANDBOX_USERGROUPS },
      twilio,
      callbacks,
    });
    // The desktop window needs the bot, which needs the emulator: it joins the fallback once started.
    let desktopHandle: FallbackHandler | null = null;
    const fallback: FallbackHandler = async (req, res, url) => ((await desktopHandle?.(req, res, url)) ?? false) || page.handle(req, res, url);
    const slack = await startEmulatorOnPort(
      { botToken, signingSecret, channels: [...SANDBOX_CHANNELS], users: [...SAMPLE_USERS], host, fallback },
      options.port ?? DEFAULT_SANDBOX_PORT,
    );
    emulator = slack;
    // Nothing here is public: the page's origin stands for the bot's public URL. Twilio's fake signs
    // against it, and the page hands `/v/…` (Details links) and `/h/…` (SMS card links) on to the bot.
    voice.publicUrl = slack.url.replace(/\/$/, '');
    const wanted = options.port ?? DEFAULT_SANDBOX_PORT;
    const portNote = wanted !== 0 && !slack.url.endsWith(`:${wanted}/`) ? `Port ${wanted} is busy, so the sandbox took a free one instead.` : null;
    started.push({
      close: async () => {
        page.close();
        await slack.close();
      },
    });

    const settings: BotSettings = {
      port: 0,
      host: '127.0.0.1',
      dbFile,
      webhookKeys: [decodeWebhookSecret(webhookSecret)],
      allowUnsigned: false,
      callbackSecret,
      slack: { botToken, signingSecret, apiUrl: slack.apiUrl },
      twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, from: SANDBOX_SMS_FROM, apiUrl: twilio.url },
      logLevel: options.logLevel ?? 'warn',
      providers: providerSecretsFrom(voiceEnv(voice)),
      publicUrl: voice.publicUrl,
    };
    const bot = await createBot({ settings, config, logger: options.logger ?? createLogger(settings.logLevel) });
    started.push(bot);
    botUrl = bot.url;
    slack.setBotEventsUrl(`${bot.url}/slack/events`);
    const desktop = await startSandboxDesktop({ bot, dataDir, pageUrl: slack.url });
    started.push(desktop);
    desktopHandle = desktop.handle;

    let closed = false;
    return {
      url: slack.url,
      portNote,
      bot,
      slack,
      twilio,
      callbacks,
      desktop,
      config,
      dbFile,
      async close() {
        if (closed) return;
        closed = true;
        // Newest first: the desktop app stops following the bot before the bot goes.
        for (const part of started.reverse()) await part.close();
        if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const part of started.reverse()) await part.close().catch(() => undefined);
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
