import { App, ExpressReceiver, LogLevel, webApi } from '@slack/bolt';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { ActionResult } from './actions/action-types.js';
import { performAction, type ActionRequest } from './actions/perform-action.js';
import { createCallbackDelivery } from './callbacks/callback-delivery.js';
import { checkCallbackUrl, type GuardedPostOptions } from './callbacks/ssrf-guard.js';
import { PairingService } from './pairing/pairing.js';
import { createRateLimiter } from './desktop-api/rate-limiter.js';
import { createUserNames, slackUserLookup } from './desktop-api/user-names.js';
import { registerDesktopApi, type DesktopApi, type DesktopApiDeps } from './desktop-api/register-desktop-api.js';
import { EscalationScheduler } from './escalation/escalation-scheduler.js';
import { ReminderScheduler } from './escalation/reminder-scheduler.js';
import { OutboxWorker } from './outbox/worker.js';
import { RetentionJob } from './retention/retention-job.js';

import { cachedAuthorize } from './slack/authorize.js';
import { boltLogger } from './slack/bolt-logger.js';
import { verifySlackToken } from './slack/verify-token.js';
import { createSlackRequestGuard } from './slack/request-guard.js';
import { defaultConnectionLimits, guardConnections, heldBudgetFor, type ConnectionLimits } from './http/connection-guard.js';
import { registerHome } from './slack/home/register-home.js';
import { WeeklyDigest } from './slack/weekly-digest.js';
import { createSlackDelivery } from './slack/delivery.js';
import { registerSlackRoutes } from './slack/interactions/register-routes.js';
import { SLACK_ROUTES } from './slack/interactions/route-table.js';
import { DigestRefresher } from './slack/digest-refresher.js';
import { SLACK_UPDATE_PACE_KEY } from './outbox/pace-keys.js';
import { DIGEST_AFTER_MS } from './slack/storm-policy.js';
import { createSmsDelivery } from './sms/sms-delivery.js';
import { CARD_LINK_PATH } from './sms/card-link.js';
import { registerCardLinkRoute } from './http/card-link-route.js';
import { registerDetailsPage } from './http/details-page-route.js';
import { DETAILS_PAGE_PATH } from './details-page/details-link.js';
import { createTwilioClient } from './sms/twilio-client.js';
import { createCallBackDelivery } from './voice/call-back-delivery.js';
import type { AddressInfo } from 'node:net';
import type { HandoffConfig, Workflow } from './config/load-config.js';
import { errorHandler, notFoundHandler } from './errors/express-errors.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerMethodGuards } from './http/method-guards.js';
import { createCallIntake, type CallIntake } from './intake/call-intake.js';
import { createIntakeHandler } from './intake/intake-handler.js';
import { createProviderHandler, isProviderPath } from './providers/provider-handler.js';
import { jsonAnswer } from './providers/types.js';
import { ConnectHub } from './connect/connect-hub.js';
import { defaultDialCodes } from './domain/dial-policy.js';
import { createTransferHandlers } from './connect/transfer-handlers.js';
import { providerSecretsFrom } from './providers/index.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import { observeQuality } from './actions/quality-metrics.js';
import type { BotSettings } from './settings.js';
import { openStore } from './store/open-store.js';
import type { Store } from './store/store.js';

export interface BotDeps {
  settings: BotSettings;
  config: HandoffConfig;
  clock?: () => number;
  logger?: Logger;
  /**
   * Test seams: outbox pacing (Slack's 1 message/s per channel; card and digest edits share
   * chat.update's ~50/min at 2x and 3x that gap), when a burst gets a digest, and the callback guard's transport.
   */
  outbox?: { paceMs?: number; idleMs?: number; digestAfterMs?: number };
  callbackGuard?: Partial<GuardedPostOptions>;
  /** Connection cap and request timeouts (default: from the process's file-handle limit; see http/connection-guard.ts). */
  connections?: Partial<ConnectionLimits>;
  /** Call backs one person may start: `capacity` at once, refilled over `refillMs` (default CALL_BACK_RATE_LIMIT). */
  callBackRateLimit?: { capacity: number; refillMs: number };
  /** Start the outbox, escalation and retention workers (default true). */
  startWorkers?: boolean;
  /** Test seams of the desktop API: SSE heartbeat interval, stream caps, pairing rate limit. */
  desktopApi?: Pick<DesktopApiDeps, 'heartbeatMs' | 'pairRateLimit' | 'pairFailureLimit' | 'streams'>;
}

export interface Bot {
  url: string;
  server: Server;
  store: Store;
  slack: App;
  metrics: Metrics;
  logger: Logger;
  outbox: OutboxWorker;
  escalations: EscalationScheduler;
  /** Claim and call-back reminders (docs/contract/storms-ladder-hours.md#reminders). */
  reminders: ReminderScheduler;
  /** Keeps storm digests in step with their handoffs. */
  digests: DigestRefresher;
  retention: RetentionJob;
  /** The weekly stats digest to `stats_channel` (docs/contract/outcomes.md#stats). */
  digest: WeeklyDigest;
  pairing: PairingService;
  /** The desktop API (SSE hub: `desktop.hub.clientCount`). */
  desktop: DesktopApi;
  perform(req: ActionRequest): Promise<ActionResult>;
  /** The voice platforms' shared path: find or create a call's handoff, merge, call ended (docs/contract/voice-platforms.md#one-handoff-per-call). */
  calls: CallIntake;
  /** Held transfer requests of live callers (docs/contract/reaching-the-caller.md). */
  connect: ConnectHub;
  close(): Promise<void>;
}

/** Without settings.providers every platform is unconfigured: its endpoint answers 401. */
const NO_PROVIDER_SECRETS = providerSecretsFrom({});

/** Six Call backs a person may start at once, then one more every 100 s: plenty for a person, little for a loop. */
export const CALL_BACK_RATE_LIMIT = { capacity: 6, refillMs: 10 * 60_000 };

const INTAKE_PATH = '/v1/handoffs';
const SLACK_PATH = '/slack/events';

function isPost(req: IncomingMessage, path: string): boolean {
  return req.method === 'POST' && (req.url === path || req.url?.startsWith(`${path}?`) === true);
}

/** Why callbacks are off for a handoff at intake time (the SSRF guard checks again at send time). */
function callbackOffReason(settings: BotSettings) {
  return (url: string, workflow: Workflow): string | null => {
    if (!workflow.callbacks) return 'disabled_for_workflow';
    if (!settings.callbackSecret) return 'no_callback_secret';
    const check = checkCallbackUrl(url, workflow.callback_hosts);
    return check.ok ? null : `ssrf_refused:${check.reason}`;
  };
}

/** Wires the store, the intake, Bolt and the workers into one HTTP server. Does nothing global. */
export async function createBot(deps: BotDeps): Promise<Bot> {
  const { settings } = deps;
  // The dial allow-list's default needs TWILIO_FROM, which the config file does not know: settled once here.
  const config: HandoffConfig = {
    ...deps.config,
    dialCountryCodes: deps.config.dialCountryCodes ?? defaultDialCodes(settings.twilio?.from ?? null, deps.config.people.values()),
  };
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? createLogger(settings.logLevel);
  const metrics = createMetrics();

  const slackLogger = boltLogger(logger);
  const receiver = new ExpressReceiver({
    signingSecret: settings.slack.signingSecret,
    endpoints: SLACK_PATH,
    processBeforeResponse: false,
    // createSlackRequestGuard verifies before Bolt sees the request (size bound first, both-way
    // timestamp window, replays, body shape); Bolt's own check reads unbounded bodies and only looks back.
    signatureVerification: false,
    logger: slackLogger,
    logLevel: LogLevel.WARN,
  });
  // The outbox owns retries: a 429 must reach it as a rate-limit error (its Retry-After pauses the
  // Slack lanes) instead of the WebClient sleeping inside the call and then throwing a generic error.
  const clientOptions = { slackApiUrl: settings.slack.apiUrl, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true };
  const web = new webApi.WebClient(settings.slack.botToken, { ...clientOptions, logger: slackLogger });
  const slack = new App({
    // verifySlackToken checks the token instead of Bolt: Bolt's check would refuse to start while Slack is down.
    authorize: cachedAuthorize(web, settings.slack.botToken),
    receiver,
    deferInitialization: true,
    logger: slackLogger,
    logLevel: LogLevel.WARN,
    clientOptions,
  });

  // Before anything is opened: a token Slack rejects stops the start with nothing to clean up.
  await verifySlackToken(web, logger);

  const store: Store = await openStore({
    file: settings.dbFile,
    databaseUrl: settings.databaseUrl ?? null,
    logger,
    onBatch: (n) => metrics.commitBatchSize.observe(n),
  });

  const pairing = new PairingService(store, clock);
  // Each Call back rings a phone and costs a call: per person, across handoffs (in memory, per process).
  const callBackLimit = createRateLimiter({ ...CALL_BACK_RATE_LIMIT, ...deps.callBackRateLimit, clock });
  const paceMs = deps.outbox?.paceMs ?? 1_000;
  // The workers, the SSE hub and the scheduler hear about commits from `store.commits`.
  const perform = (req: ActionRequest): Promise<ActionResult> =>
    performAction(
      {
        store,
        config,
        clock,
        smsConfigured: settings.twilio !== null,
        callBackLimit: { take: (userId) => callBackLimit.take(userId).ok, refund: (userId) => callBackLimit.refund(userId) },
        onCommitted: (result, request) => {
          if (request.action === 'escalate' && request.actor.kind === 'user') metrics.escalations.inc({ trigger: 'manual' });
          observeQuality(metrics, request.action, result.handoff);
          // A claim or resolve changes what a storm digest shows. Only actions: waking on every intake
          // commit re-rendered every open digest per accepted handoff in a storm.
          digests.wake();
        },
      },
      req,
    );
  const intake = createIntakeHandler({
    config,
    store,
    webhookKeys: settings.webhookKeys,
    allowUnsigned: settings.allowUnsigned,
    smsConfigured: settings.twilio !== null,
    callbackOffReason: callbackOffReason(settings),
    clock,
    logger,
    metrics,
  });

  const calls = createCallIntake({ store, smsConfigured: settings.twilio !== null, clock, logger });
  const limits: ConnectionLimits = { ...defaultConnectionLimits(), ...deps.connections };
  const connect = new ConnectHub({ store, config, clock, logger, maxHeld: heldBudgetFor(limits.maxConnections, config.maxWaitingCallers) });
  const transfers = createTransferHandlers(connect, logger);
  const providers = createProviderHandler({
    config,
    secrets: settings.providers ?? NO_PROVIDER_SECRETS,
    calls,
    clock,
    logger,
    metrics,
    transfer: (ref, handoff, req) => (ref.platform === 'vapi' ? transfers.vapi(ref, handoff, req) : Promise.resolve(jsonAnswer({}))),
    waitForPerson: transfers.retell,
  });

  const twilio = settings.twilio ? createTwilioClient({ accountSid: settings.twilio.accountSid, authToken: settings.twilio.authToken, apiUrl: settings.twilio.apiUrl }) : null;
  const outbox = new OutboxWorker({
    store,
    clock,
    logger,
    metrics,
    paceMs,
    paceMsByKey: { [SLACK_UPDATE_PACE_KEY]: 2 * paceMs },
    ...(deps.outbox?.idleMs === undefined ? {} : { idleMs: deps.outbox.idleMs }),
    handlers: {
      ...createSlackDelivery({
        store,
        config,
        client: web,
        clock,
        metrics,
        callBack: twilio !== null,
        storm: { paceMs, digestAfterMs: deps.outbox?.digestAfterMs ?? DIGEST_AFTER_MS },
        onPosted: () => digests.wake(),
      }),
      ...createSmsDelivery({ store, config, twilio, from: settings.twilio?.from ?? '', clock, publicUrl: settings.publicUrl ?? null }),
      ...createCallBackDelivery({ store, config, twilio, from: settings.twilio?.from ?? '', clock }),
      ...createCallbackDelivery({ store, config, secret: settings.callbackSecret, clock, metrics, guard: deps.callbackGuard }),
    },
  });
  // Digest edits share chat.update's budget and its Retry-After with the outbox's card edits.
  const digests = new DigestRefresher({
    store,
    config,
    client: web,
    clock,
    logger,
    metrics,
    paceMs: 3 * paceMs,
    updatePause: { pause: (until) => outbox.pause(SLACK_UPDATE_PACE_KEY, until), until: () => outbox.pausedUntilOf(SLACK_UPDATE_PACE_KEY) },
  });
  const escalations = new EscalationScheduler({ store, clock, perform, logger, metrics });
  const reminders = new ReminderScheduler({ store, config, clock, logger });
  const retention = new RetentionJob({ store, clock, logger, retentionDays: config.retentionDays });

  const publicUrl = settings.publicUrl ?? null;
  registerSlackRoutes(slack, SLACK_ROUTES, { store, config, clock, logger, pairing, perform, callBack: twilio !== null, publicUrl });
  registerHome(slack, { store, config, clock, logger });
  const digest = new WeeklyDigest({ store, config, client: web, clock, logger });

  registerMethodGuards(receiver.router, {
    [INTAKE_PATH]: ['POST'],
    [SLACK_PATH]: ['POST'],
    '/healthz': ['GET'],
    '/readyz': ['GET'],
    '/metrics': ['GET'],
    [CARD_LINK_PATH]: ['GET'],
    [DETAILS_PAGE_PATH]: ['GET'],
  });
  registerHealthRoutes(receiver.router, { store, metrics, clock });
  registerCardLinkRoute(receiver.router, { store });
  registerDetailsPage(receiver.router, { store, config, clock, logger, secureCookie: publicUrl?.startsWith('https:') === true });
  const desktopApi = registerDesktopApi(receiver.router, {
    store,
    config,
    clock,
    pairing,
    perform,
    logger,
    names: createUserNames({ lookup: slackUserLookup(web), clock }),
    trustedProxies: settings.trustedProxies,
    ...deps.desktopApi,
  });
  receiver.app.use(notFoundHandler);
  receiver.app.use(errorHandler(logger));

  await slack.init();

  const slackGuard = createSlackRequestGuard({ signingSecret: settings.slack.signingSecret });
  // Request timeouts are enforced by a periodic sweep; Node's default (30 s) would double a short deadline.
  const server = createServer({ connectionsCheckingInterval: 1_000 }, (req, res) => {
    // The webhook's hot path bypasses Express; everything else (Slack, health, desktop) goes through it.
    if (isPost(req, INTAKE_PATH)) {
      intake(req, res);
      return;
    }
    if (isPost(req, SLACK_PATH)) {
      void slackGuard(req, res).then((ok) => ok && receiver.app(req, res));
      return;
    }
    if (isProviderPath(req.url)) {
      providers(req, res);
      return;
    }
    receiver.app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  guardConnections(server, limits, logger);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ port: address.port, workflows: config.workflows.size }, 'handoff bot listening');
  if (deps.startWorkers !== false) {
    outbox.start();
    escalations.start();
    reminders.start();
    digests.start();
    retention.start();
    digest.start();
  }

  return {
    url,
    server,
    store,
    slack,
    metrics,
    logger,
    outbox,
    escalations,
    reminders,
    digests,
    retention,
    digest,
    pairing,
    desktop: desktopApi,
    perform,
    calls,
    connect,
    async close() {
      connect.close();
      await escalations.stop();
      await reminders.stop();
      await digests.stop();
      retention.stop();
      await digest.stop();
      desktopApi.close();
      await outbox.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}
