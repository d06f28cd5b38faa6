import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HandoffConfig, Workflow } from './config/load-config.js';
import { errorHandler, notFoundHandler } from './errors/express-errors.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerMethodGuards } from './http/method-guards.js';
import { GroupCommitter } from './intake/group-commit.js';
import { createIntakeHandler } from './intake/intake-handler.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics, type Metrics } from './observability/metrics.js';
import type { BotSettings } from './settings.js';
import { openDatabase } from './store/db.js';
import { Store } from './store/store.js';

export interface BotDeps {
  settings: BotSettings;
  config: HandoffConfig;
  clock?: () => number;
  logger?: Logger;
}

export interface Bot {
  url: string;
  server: Server;
  store: Store;
  slack: App;
  metrics: Metrics;
  logger: Logger;
  close(): Promise<void>;
}

const INTAKE_PATH = '/v1/handoffs';

/** Why callbacks are off for a handoff at intake time (the SSRF guard checks again at send time). */
function callbackOffReason(settings: BotSettings) {
  return (_url: string, workflow: Workflow): string | null => {
    if (!workflow.callbacks) return 'disabled_for_workflow';
    if (!settings.callbackSecret) return 'no_callback_secret';
    return null;
  };
}

/** Wires the store, the intake, Bolt and the workers into one HTTP server. Does nothing global. */
export async function createBot(deps: BotDeps): Promise<Bot> {
  const { settings, config } = deps;
  const clock = deps.clock ?? Date.now;
  const logger = deps.logger ?? createLogger(settings.logLevel);
  const metrics = createMetrics();
  const store = new Store(openDatabase(settings.dbFile));
  const committer = new GroupCommitter(store, { onBatch: (n) => metrics.commitBatchSize.observe(n) });

  const receiver = new ExpressReceiver({
    signingSecret: settings.slack.signingSecret,
    endpoints: '/slack/events',
    processBeforeResponse: false,
    logLevel: LogLevel.ERROR,
  });
  const slack = new App({
    token: settings.slack.botToken,
    receiver,
    deferInitialization: true,
    logLevel: LogLevel.ERROR,
    clientOptions: { slackApiUrl: settings.slack.apiUrl, retryConfig: { retries: 0 } },
  });

  const intake = createIntakeHandler({
    config,
    store,
    committer,
    webhookKeys: settings.webhookKeys,
    allowUnsigned: settings.allowUnsigned,
    smsConfigured: settings.twilio !== null,
    callbackOffReason: callbackOffReason(settings),
    clock,
    logger,
    metrics,
  });

  registerMethodGuards(receiver.router, { [INTAKE_PATH]: ['POST'], '/healthz': ['GET'], '/readyz': ['GET'], '/metrics': ['GET'] });
  registerHealthRoutes(receiver.router, { store, metrics, clock });
  receiver.app.use(notFoundHandler);
  receiver.app.use(errorHandler(logger));

  await slack.init();

  const server = createServer((req, res) => {
    // The webhook's hot path bypasses Express; everything else (Slack, health, desktop) goes through it.
    if (req.method === 'POST' && (req.url === INTAKE_PATH || req.url?.startsWith(`${INTAKE_PATH}?`))) {
      intake(req, res);
      return;
    }
    receiver.app(req, res);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ port: address.port, workflows: config.workflows.size }, 'handoff bot listening');

  return {
    url,
    server,
    store,
    slack,
    metrics,
    logger,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.db.close();
    },
  };
}
