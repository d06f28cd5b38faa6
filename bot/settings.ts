import { decodeWebhookSecret } from '../shared/standard-webhooks.js';
import { splitSecrets, type Env } from './config/env.js';
import { providerSecretsFrom, type ProviderSecrets } from './providers/index.js';
import type { ProviderEnv } from './providers/types.js';
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
  /** Voice platforms' secrets, each read by its adapter (docs/contract/voice-platforms.md#verification); absent = every provider endpoint answers 401. */
  providers?: ProviderSecrets;
  /** HANDOFF_PUBLIC_URL without a trailing slash: SMS link to `/h/{id}` under it; null = no link. */
  publicUrl?: string | null;
  /** Reverse proxies trusted to name the client in X-Forwarded-For (HANDOFF_TRUST_PROXY); none by default. */
  trustedProxies?: TrustedProxies;
}

/** `source`: the raw environment, where each voice platform finds its own variables. */
export function settingsFromEnv(env: Env, source: ProviderEnv): BotSettings {
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
    providers: providerSecretsFrom(source),
    publicUrl: env.HANDOFF_PUBLIC_URL ?? null,
    trustedProxies: trustedProxiesOf(env.HANDOFF_TRUST_PROXY),
  };
}
