import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSlackEmulator, type SlackEmulator } from '../../../sandbox/slack-emulator/index.js';
import { LogCapture } from '../../../test/support/harness.js';
import { until } from '../../../test/support/until.js';
import { createLogger } from '../../observability/logger.js';
import { boltLogger } from '../bolt-logger.js';
import { registerSlackRoutes } from './register-routes.js';
import type { SlackRouteDeps } from './route-types.js';

const TOKEN = 'xoxb-routes-test';
const SECRET = 'signing-secret-for-route-tests';
const RESPONSE_URL_TTL_MS = 30 * 60_000;

let emu: SlackEmulator;
let server: Server | undefined;
let now: number;
let logs: LogCapture;
let finished: string[];

/** Real Bolt behind a real HTTP server, our routes registered, the emulator clicking. `lateBy` moves the emulator's clock before the reply. */
async function startRoutes(lateByMs: number): Promise<void> {
  const logger = createLogger('debug', logs);
  const receiver = new ExpressReceiver({ signingSecret: SECRET, logger: boltLogger(logger), logLevel: LogLevel.WARN });
  const app = new App({ token: TOKEN, receiver, logger: boltLogger(logger), logLevel: LogLevel.WARN, clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 } } });
  const deps = { logger, clock: () => now } as unknown as SlackRouteDeps;
  registerSlackRoutes(
    app,
    {
      actions: {
        handoff_claim: async (_deps, input) => {
          now += lateByMs;
          await input.reply('The claim is yours.');
          finished.push(input.value);
        },
      },
      views: {},
      commands: {},
    },
    deps,
  );
  server = createServer(receiver.app);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  emu.setBotEventsUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
}

async function click(): Promise<void> {
  const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      channel: 'C0CLINIC',
      text: 'handoff',
      blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'handoff_claim', text: { type: 'plain_text', text: 'Claim' }, value: 'ho_7' }] }],
    }),
  });
  const { ts } = (await res.json()) as { ts: string };
  const answer = await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim' });
  expect(answer.status).toBe(200);
  await until(() => finished.length === 1, 10_000, 'the step to finish');
}

const lines = () => logs.lines.map((l) => JSON.parse(l) as Record<string, unknown>);

beforeEach(async () => {
  now = Date.now();
  logs = new LogCapture();
  finished = [];
  emu = await startSlackEmulator({ botToken: TOKEN, signingSecret: SECRET, channels: [{ id: 'C0CLINIC', name: 'clinic-handoffs' }], clock: () => now, rateLimits: false });
});

afterEach(async () => {
  const s = server;
  server = undefined;
  if (s) {
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }
  await emu.close();
});

describe('registerSlackRoutes: a step\'s ephemeral reply', () => {
  it('reaches the clicking user through the response_url', async () => {
    await startRoutes(0);
    await click();
    expect(emu.ephemerals('U0ALICE01')).toEqual([expect.objectContaining({ text: 'The claim is yours.', via: 'response_url' })]);
    expect(lines().filter((l) => l.msg === 'slack reply not delivered')).toEqual([]);
  });

  it('refused by Slack (the response_url past its 30 minutes) is a warning with the status, and the step still finishes', async () => {
    await startRoutes(RESPONSE_URL_TTL_MS);
    await click();
    expect(finished).toEqual(['ho_7']);
    expect(emu.ephemerals('U0ALICE01')).toEqual([]);
    const refused = lines().filter((l) => String(l.err_code ?? '').startsWith('slack_bolt_respond'));
    expect(refused).toEqual([expect.objectContaining({ msg: 'slack reply not delivered', action: 'handoff_claim', err_code: 'slack_bolt_respond_error', http_status: 404 })]);
  });
});
