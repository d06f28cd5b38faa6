// startSlackEmulator(): a local Slack Web API (for the bot's WebClient via
// SLACK_API_URL) that also acts as Slack toward the bot's /slack/events.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CallLog } from './calls.js';
import { FaultBook } from './faults.js';
import { Interactions, type BlockActionOptions, type BotAnswer, type SendOverrides, type SlashCommandOptions, type ViewSubmissionAnswer, type ViewSubmissionOptions } from './interactions.js';
import type { MethodContext } from './methods/index.js';
import { allActions } from './payloads.js';
import { createRequestHandler, type FallbackHandler } from './server.js';
import { RateLimiter, SLACK_RATE_LIMITS, type RateLimitOptions } from './rate-limits.js';
import { EmulatorState, type BotIdentity } from './state.js';
import type { Wiretap } from './web-api.js';
import type { ChangeEvent, EmulatorChannel, EmulatorTeam, EmulatorUser, StoredEphemeral, StoredMessage, StoredView } from './types.js';

export const SAMPLE_USERS: readonly EmulatorUser[] = [
  { id: 'U0ALICE01', name: 'alice', real_name: 'Alice Moreno' },
  { id: 'U0BOB0001', name: 'bob', real_name: 'Bob Okafor' },
  { id: 'U0CAROL01', name: 'carol', real_name: 'Carol Lindqvist' },
  { id: 'U0DAVID01', name: 'david', real_name: 'David Chen' },
];

export const DEFAULT_TEAM: EmulatorTeam = { id: 'T0SANDBOX', domain: 'handoff-sandbox', name: 'Handoff Sandbox' };
export const DEFAULT_BOT: BotIdentity = { userId: 'U0HANDOFF', botId: 'B0HANDOFF', appId: 'A0HANDOFF', name: 'handoff' };

export interface SlackEmulatorOptions {
  botToken: string;
  signingSecret: string;
  /** The bot's interactivity URL, e.g. http://127.0.0.1:3000/slack/events (or set later). */
  botEventsUrl?: string;
  /** When given, only these channels exist (others answer channel_not_found); otherwise any id is accepted. */
  channels?: EmulatorChannel[];
  users?: EmulatorUser[];
  team?: EmulatorTeam;
  bot?: BotIdentity;
  /** Epoch ms for message ts, trigger and response_url lifetimes, fault deadlines. */
  clock?: () => number;
  /** Epoch ms for request signatures; Bolt checks them against its wall clock. Default Date.now. */
  signingClock?: () => number;
  host?: string;
  port?: number;
  fetch?: typeof fetch;
  triggerTtlMs?: number;
  responseUrlTtlMs?: number;
  responseUrlMaxUses?: number;
  ackTimeoutMs?: number;
  verificationToken?: string;
  /** Slash commands the app registered; any other is refused at once. Default `['/handoff']`. */
  commands?: string[];
  /** Serve more routes from the same origin (the sandbox page). */
  fallback?: FallbackHandler;
  /** Slack's rate limits (429 + Retry-After): on by default with Slack's figures; `false` turns them off. */
  rateLimits?: RateLimitOptions | false;
  /** Hears every Web API call and response_url post as sent (tests that scan what left the bot); off by default. */
  wiretap?: Wiretap;
}

export interface SlackEmulator {
  /** Base URL with a trailing slash, e.g. http://127.0.0.1:5555/ */
  url: string;
  /** What SLACK_API_URL / clientOptions.slackApiUrl takes: `${url}api/`. */
  apiUrl: string;
  state: EmulatorState;
  faults: FaultBook;
  calls: CallLog;
  /** Slack's rate limits; `rateLimits.configure(null)` turns them off, `configure(SLACK_RATE_LIMITS)` on. */
  rateLimits: RateLimiter;
  setBotEventsUrl(url: string): void;
  /** Every message of a channel, thread replies included, oldest first. */
  messages(channel: string): StoredMessage[];
  message(channel: string, ts: string): StoredMessage | undefined;
  /** Every button with `actionId` a person in `channel` can click right now (top-level messages and thread replies). */
  buttons(channel: string, actionId: string): { messageTs: string; blockId: string; value: string | undefined }[];
  ephemerals(user?: string): StoredEphemeral[];
  views(filter?: { user?: string; state?: 'open' | 'closed' }): StoredView[];
  onChange(cb: (event: ChangeEvent) => void): () => void;
  /** Resolves with the first change matching `match` from now on; rejects after timeoutMs. */
  waitForChange(match: (event: ChangeEvent) => boolean, timeoutMs?: number): Promise<ChangeEvent>;
  sendBlockAction(opts: BlockActionOptions): Promise<BotAnswer>;
  sendViewSubmission(opts: ViewSubmissionOptions): Promise<ViewSubmissionAnswer>;
  sendSlashCommand(opts: SlashCommandOptions): Promise<BotAnswer>;
  /** The user opens the app's Home tab (`app_home_opened`); the bot answers with views.publish. */
  openAppHome(user: string): Promise<BotAnswer>;
  /** The Home tab view last published for this user. */
  homeView(user: string): StoredView | undefined;
  /** POST any form body to the bot, signed as Slack does (or with overridden signature/timestamp). */
  postSigned(rawBody: string, overrides?: SendOverrides): Promise<BotAnswer>;
  close(): Promise<void>;
}

export async function startSlackEmulator(opts: SlackEmulatorOptions): Promise<SlackEmulator> {
  if (!opts.botToken) throw new TypeError('startSlackEmulator: botToken is required');
  if (!opts.signingSecret) throw new TypeError('startSlackEmulator: signingSecret is required');
  const clock = opts.clock ?? Date.now;
  const state = new EmulatorState({
    clock,
    team: opts.team ?? DEFAULT_TEAM,
    bot: opts.bot ?? DEFAULT_BOT,
    channels: opts.channels ?? [],
    users: opts.users ?? [...SAMPLE_USERS],
    triggerTtlMs: opts.triggerTtlMs ?? 3000,
    responseUrlTtlMs: opts.responseUrlTtlMs ?? 30 * 60_000,
    responseUrlMaxUses: opts.responseUrlMaxUses ?? 5,
  });
  const faults = new FaultBook(clock);
  const calls = new CallLog();
  const rateLimits = new RateLimiter(clock, opts.rateLimits === false ? null : (opts.rateLimits ?? SLACK_RATE_LIMITS));
  const hung = new Set<ServerResponse>();
  const streams = new Set<ServerResponse>();
  let baseUrl = '';
  let botEventsUrl = opts.botEventsUrl;

  const ctx: MethodContext = {
    state,
    permalink: (channel, ts) => `${baseUrl}archives/${channel}/p${ts.replace('.', '')}`,
  };
  const interactions = new Interactions({
    state,
    slack: { team: state.team, appId: state.bot.appId, verificationToken: opts.verificationToken ?? 'emulator-verification-token' },
    signingSecret: opts.signingSecret,
    botEventsUrl: () => botEventsUrl,
    responseUrl: (id) => `${baseUrl}response/${id}`,
    fetch: opts.fetch ?? fetch,
    signingClock: opts.signingClock ?? Date.now,
    ackTimeoutMs: opts.ackTimeoutMs ?? 3000,
    commands: opts.commands ?? ['/handoff'],
  });
  const handler = createRequestHandler({
    state,
    webApi: { ctx, faults, calls, clock, tokens: new Set([opts.botToken]), hung, rateLimits, ...(opts.wiretap ? { wiretap: opts.wiretap } : {}) },
    control: { state, faults, calls, interactions, streams },
    ...(opts.fallback ? { fallback: opts.fallback } : {}),
  });

  const server = createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}/`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}api/`,
    state,
    faults,
    calls,
    rateLimits,
    setBotEventsUrl: (url) => {
      botEventsUrl = url;
    },
    messages: (channel) => state.messages(channel),
    message: (channel, ts) => state.messages(channel).find((m) => m.ts === ts),
    buttons: (channel, actionId) =>
      state.messages(channel).flatMap((m) =>
        allActions(m.blocks, actionId).map((a) => ({ messageTs: m.ts, blockId: a.blockId, value: typeof a.element.value === 'string' ? a.element.value : undefined })),
      ),
    ephemerals: (user) => state.ephemerals(user),
    views: (filter) => state.views(filter),
    onChange: (cb) => state.onChange(cb),
    waitForChange: (match, timeoutMs = 5000) =>
      new Promise<ChangeEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(new Error(`no matching emulator change within ${timeoutMs} ms`));
        }, timeoutMs);
        const off = state.onChange((event) => {
          if (!match(event)) return;
          clearTimeout(timer);
          off();
          resolve(event);
        });
      }),
    sendBlockAction: (o) => interactions.sendBlockAction(o),
    sendViewSubmission: (o) => interactions.sendViewSubmission(o),
    sendSlashCommand: (o) => interactions.sendSlashCommand(o),
    openAppHome: (user) => interactions.openAppHome(user),
    homeView: (user) => state.homeView(user),
    postSigned: (raw, o) => interactions.post(raw, o),
    close: async () => {
      for (const res of [...hung, ...streams]) res.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

export { BLOCK_KIT_LIMITS, validateBlocks, validateView, type Surface } from './block-kit-limits.js';
export { CallLog, type CallOutcome, type CallRecord } from './calls.js';
export { RateLimiter, SLACK_RATE_LIMITS, takeToken, type BucketSpec, type RateDecision, type RateLimitOptions } from './rate-limits.js';
export { EmulatorError, type EmulatorErrorCode } from './errors.js';
export { FaultBook, parseFaultRule, pickFault, type ActiveFaultRule, type Fault, type FaultRule } from './faults.js';
export type { BlockActionOptions, BotAnswer, SendOverrides, SlashCommandOptions, ViewSubmissionAnswer, ViewSubmissionOptions } from './interactions.js';
export type { ViewValues } from './payloads.js';
export type { FallbackHandler } from './server.js';
export type { WireEntry, Wiretap } from './web-api.js';
export { signedHeaders, slackSignature } from './signing.js';
export { EmulatorState, type BotIdentity, type StateSnapshot } from './state.js';
export type * from './types.js';
