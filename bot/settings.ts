import { decodeWebhookSecret } from '../shared/standard-webhooks.js';
import { splitSecrets, type Env } from './config/env.js';
import type { ProviderSecrets } from './providers/types.js';
import { parseTrustedProxies, type TrustedProxies } from './config/trusted-proxies.js';

function trustedProxiesOf(value: string | undefined): TrustedProxies {
  const parsed = parseTrustedProxies(value);
  return 'ranges' in parsed ? parsed.ranges : [];
}

/** What the bot needs to run, derived once from the validated environment. */
export interface BotSettings {
  port: number;
  host: string;
  dbFile: string;
  /** PostgreSQL instead of the SQLite file (HANDOFF_DATABASE_URL): state shared by several processes. */
  databaseUrl?: string | null;
  webhookKeys: Buffer[];
  allowUnsigned: boolean;
  callbackSecret: string | null;
  slack: { botToken: string; signingSecret: string; apiUrl: string };
  twilio: { accountSid: string; authToken: string; from: string; apiUrl: string } | null;
  logLevel: string;
  /** Voice platforms' secrets (docs/contract/voice-platforms.md#verification); absent = every provider endpoint answers 401. */
  providers?: ProviderSecrets;
  /** Reverse proxies trusted to name the client in X-Forwarded-For (HANDOFF_TRUST_PROXY); none by default. */
  trustedProxies?: TrustedProxies;
}

export function settingsFromEnv(env: Env): BotSettings {
  return {
    port: env.PORT,
    host: env.HOST,
    dbFile: env.HANDOFF_DB,
    databaseUrl: env.HANDOFF_DATABASE_URL ?? null,
    webhookKeys: env.HANDOFF_WEBHOOK_SECRETS ? splitSecrets(env.HANDOFF_WEBHOOK_SECRETS).map(decodeWebhookSecret) : [],
    allowUnsigned: env.HANDOFF_ALLOW_UNSIGNED,
    callbackSecret: env.HANDOFF_CALLBACK_SECRET ?? null,
    slack: { botToken: env.SLACK_BOT_TOKEN ?? '', signingSecret: env.SLACK_SIGNING_SECRET ?? '', apiUrl: env.SLACK_API_URL },
    twilio:
      env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM
        ? { accountSid: env.TWILIO_ACCOUNT_SID, authToken: env.TWILIO_AUTH_TOKEN, from: env.TWILIO_FROM, apiUrl: env.TWILIO_API_URL }
        : null,
    logLevel: env.LOG_LEVEL,
    providers: {
      retellApiKey: env.RETELL_API_KEY ?? null,
      vapiSecret: env.VAPI_SECRET ?? null,
      elevenlabsWebhookSecret: env.ELEVENLABS_WEBHOOK_SECRET ?? null,
      elevenlabsToolToken: env.ELEVENLABS_TOOL_TOKEN ?? null,
      twilioAuthToken: env.TWILIO_AUTH_TOKEN ?? null,
      publicUrl: env.HANDOFF_PUBLIC_URL ?? null,
    },
    trustedProxies: trustedProxiesOf(env.HANDOFF_TRUST_PROXY),
  };
}
