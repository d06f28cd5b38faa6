import { expect } from 'vitest';
import { providerSecretsFrom } from '../../bot/providers/index.js';
import { providerPath, sendSigned, voiceEnv, type SignedRequest, type VoicePlatform, type VoiceSecrets } from '../../sandbox/fakes/voice-platforms.js';
import { startHarness, type Harness, type HarnessOptions } from './harness.js';
import { until } from './until.js';
import { rowCounts } from './row-counts.js';

export const PUBLIC_URL = 'https://handoff.example.test';

/** The secrets the test platforms sign with, and the bot is configured with. */
export const VOICE_SECRETS: VoiceSecrets = {
  retellApiKey: 'key_retell_test_0123456789abcdef',
  vapiSecret: 'vapi-server-secret-test-0123456789',
  elevenlabsWebhookSecret: 'wsec_elevenlabs_test_0123456789abcdef',
  elevenlabsToolToken: 'el-tool-token-test-0123456789',
  twilioAuthToken: '12345678901234567890123456789012',
  publicUrl: PUBLIC_URL,
};

/** The bot's side: each platform's adapter reads its secrets from these environment variables. */
export const BOT_PROVIDER_SECRETS = providerSecretsFrom(voiceEnv(VOICE_SECRETS));

export function startProviderHarness(opts: HarnessOptions = {}): Promise<Harness> {
  return startHarness({ outbox: { paceMs: 0 }, ...opts, settings: { providers: BOT_PROVIDER_SECRETS, publicUrl: PUBLIC_URL, ...opts.settings } });
}

export function send(h: Harness, platform: VoicePlatform, req: SignedRequest, workflowId = 'clinic-after-hours') {
  return sendSigned(h.bot.url, providerPath(platform, workflowId), req);
}

export function handoffCount(h: Harness): number {
  return rowCounts(h.db).handoffs;
}

/** Every row an intake request may write, provider calls included: equal before and after = nothing stored. */
export function stored(h: Harness): Record<string, number> {
  const providerCalls = (h.db.prepare('SELECT COUNT(*) AS n FROM provider_calls').get() as { n: number }).n;
  return { ...rowCounts(h.db), provider_calls: providerCalls };
}

export async function cardText(h: Harness, id: string): Promise<string> {
  const row = (await h.bot.store.handoffs.get(id))!;
  return JSON.stringify(h.slack.message(row.slackChannel!, row.slackTs!)?.blocks ?? []);
}

/** Waits for the handoff's card in Slack and returns where it is. */
export async function awaitCard(h: Harness, id: string): Promise<{ channel: string; ts: string }> {
  const row = await until(async () => {
    const r = await h.bot.store.handoffs.get(id);
    return r?.slackTs ? r : null;
  }, 10_000, 'the card');
  return { channel: row.slackChannel!, ts: row.slackTs! };
}

/** Waits until the card in Slack contains `text` (the outbox edits it after the commit). */
export async function awaitCardText(h: Harness, id: string, text: string): Promise<string> {
  await awaitCard(h, id);
  return until(async () => {
    const t = await cardText(h, id);
    return t.includes(text) ? t : null;
  }, 10_000, `card text "${text}"`);
}

/** Every card in the workflow's owner channel for this handoff id (exactly one is expected). */
export function cardsFor(h: Harness, id: string, channel = 'C0CLINIC01'): number {
  return h.slack.state.messages(channel).filter((m) => JSON.stringify(m.blocks ?? []).includes(id)).length;
}

export function expectJson(res: { text: string; contentType: string }): Record<string, unknown> {
  expect(res.contentType).toMatch(/application\/json/);
  return JSON.parse(res.text) as Record<string, unknown>;
}
