import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, ExpressReceiver, LogLevel, RespondError, type BlockButtonAction } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { until } from '../../test/support/until.js';
import { EmulatorError, startSlackEmulator, type SlackEmulator } from './index.js';

const TOKEN = 'xoxb-bolt-test';
const SECRET = 'signing-secret-for-tests';
const silent = { debug() {}, info() {}, warn() {}, error() {}, setLevel() {}, getLevel: () => LogLevel.ERROR, setName() {} };

const cardBlocks = [
  { type: 'section', text: { type: 'mrkdwn', text: '*Urgent* handoff' } },
  {
    type: 'actions',
    block_id: 'handoff_actions',
    elements: [
      { type: 'button', action_id: 'handoff_claim', text: { type: 'plain_text', text: 'Claim' }, value: 'ho_42' },
      { type: 'button', action_id: 'handoff_note', text: { type: 'plain_text', text: 'Add note' }, value: 'ho_42' },
    ],
  },
];

const noteModal = (handoffId: string) => ({
  type: 'modal' as const,
  callback_id: 'handoff_note_submit',
  private_metadata: handoffId,
  title: { type: 'plain_text' as const, text: 'Add note' },
  submit: { type: 'plain_text' as const, text: 'Save' },
  blocks: [{ type: 'input', block_id: 'note', label: { type: 'plain_text', text: 'Note' }, element: { type: 'plain_text_input', action_id: 'text', multiline: true } }],
});

let emu: SlackEmulator;
let botServer: Server | undefined;
let now: number;
let seen: Record<string, unknown>[];

async function startBot(register: (app: App) => void): Promise<void> {
  const receiver = new ExpressReceiver({ signingSecret: SECRET, logger: silent });
  const app = new App({ token: TOKEN, receiver, logger: silent, clientOptions: { slackApiUrl: emu.apiUrl, retryConfig: { retries: 0 }, logger: silent } });
  register(app);
  const server = createServer(receiver.app);
  botServer = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  emu.setBotEventsUrl(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`);
}

async function postCard(): Promise<string> {
  const res = await fetch(`${emu.apiUrl}chat.postMessage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ channel: 'C0CLINIC', text: 'handoff', blocks: cardBlocks }),
  });
  return ((await res.json()) as { ts: string }).ts;
}

beforeEach(async () => {
  now = Date.now();
  seen = [];
  emu = await startSlackEmulator({ botToken: TOKEN, signingSecret: SECRET, channels: [{ id: 'C0CLINIC', name: 'clinic-handoffs' }], clock: () => now, rateLimits: false });
});

afterEach(async () => {
  const server = botServer;
  botServer = undefined;
  if (server) {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
  await emu.close();
});

describe('acting as Slack toward a real Bolt app', () => {
  it('a signed block_actions click reaches the action handler with the button, user and message', async () => {
    await startBot((app) => {
      app.action<BlockButtonAction>('handoff_claim', async ({ ack, action, body, respond }) => {
        await ack();
        seen.push({ value: action.value, blockId: action.block_id, user: body.user.id, channel: body.channel?.id, blocks: body.message?.blocks?.length });
        await respond({ response_type: 'ephemeral', text: 'You claimed it' });
      });
    });
    const ts = await postCard();
    const waitEphemeral = emu.waitForChange((e) => e.type === 'ephemeral');
    const answer = await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim' });
    expect(answer.status).toBe(200);
    expect(seen).toEqual([{ value: 'ho_42', blockId: 'handoff_actions', user: 'U0ALICE01', channel: 'C0CLINIC', blocks: 2 }]);
    await waitEphemeral;
    expect(emu.ephemerals('U0ALICE01')).toEqual([expect.objectContaining({ text: 'You claimed it', via: 'response_url', channel: 'C0CLINIC' })]);
    // Bolt resolved its token through the emulator's auth.test.
    expect(emu.calls.count('auth.test')).toBeGreaterThanOrEqual(1);
  });

  it('respond with replace_original edits the card the button was on', async () => {
    await startBot((app) => {
      app.action('handoff_claim', async ({ ack, respond }) => {
        await ack();
        await respond({ replace_original: true, text: 'Claimed by <@U0ALICE01>', blocks: [] });
      });
    });
    const ts = await postCard();
    const updated = emu.waitForChange((e) => e.type === 'message_updated' && e.ts === ts);
    await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim' });
    await updated;
    expect(emu.message('C0CLINIC', ts)).toMatchObject({ text: 'Claimed by <@U0ALICE01>', blocks: [] });
  });

  it("respond() to a response_url past its 30 minutes rejects with Bolt's RespondError carrying the emulator's 404", async () => {
    const failures: unknown[] = [];
    await startBot((app) => {
      app.action('handoff_claim', async ({ ack, respond }) => {
        await ack();
        now += 30 * 60_000;
        await respond({ response_type: 'ephemeral', text: 'Too late' }).catch((err: unknown) => failures.push(err));
        seen.push({ answered: true });
      });
    });
    const ts = await postCard();
    await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim' });
    await until(() => seen.length === 1, 10_000, 'the handler to finish');
    expect(failures).toEqual([expect.any(RespondError)]);
    expect(failures[0]).toMatchObject({ code: 'slack_bolt_respond_error', statusCode: 404 });
    expect(emu.ephemerals('U0ALICE01')).toEqual([]);
  });

  it('a request with a wrong signature is rejected by Bolt with 401 and never reaches the handler', async () => {
    await startBot((app) => {
      app.action('handoff_claim', async ({ ack }) => {
        await ack();
        seen.push({ reached: true });
      });
    });
    const ts = await postCard();
    const answer = await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim', signature: 'v0=' + '0'.repeat(64) });
    expect(answer.status).toBe(401);
    const stale = await emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim', timestampSec: Math.floor(Date.now() / 1000) - 600 });
    expect(stale.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('the trigger of a click opens a modal through views.open, and a submission reaches the view handler and closes it', async () => {
    await startBot((app) => {
      app.action('handoff_note', async ({ ack, body, client }) => {
        await ack();
        await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: noteModal('ho_42') });
      });
      app.view('handoff_note_submit', async ({ ack, view, body }) => {
        seen.push({ note: view.state.values.note?.text?.value, handoff: view.private_metadata, user: body.user.id });
        await ack();
      });
    });
    const ts = await postCard();
    const opened = emu.waitForChange((e) => e.type === 'view_opened');
    await emu.sendBlockAction({ user: 'U0BOB0001', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_note' });
    await opened;
    const [view] = emu.views({ state: 'open' });
    expect(view).toMatchObject({ user: 'U0BOB0001', view: { callback_id: 'handoff_note_submit', private_metadata: 'ho_42' } });

    const answer = await emu.sendViewSubmission({ viewId: view!.id, values: { note: { text: 'Caller asked for a callback at 5pm' } } });
    expect(answer).toMatchObject({ status: 200, outcome: 'closed' });
    expect(seen).toEqual([{ note: 'Caller asked for a callback at 5pm', handoff: 'ho_42', user: 'U0BOB0001' }]);
    expect(emu.views({ state: 'open' })).toEqual([]);
  });

  it('a view_submission answered with response_action errors keeps the modal open', async () => {
    await startBot((app) => {
      app.view('handoff_note_submit', async ({ ack }) => {
        await ack({ response_action: 'errors', errors: { note: 'A note cannot be empty' } });
      });
    });
    const view = emu.state.openView('U0ALICE01', noteModal('ho_1'));
    const answer = await emu.sendViewSubmission({ viewId: view.id, values: { note: { text: '' } } });
    expect(answer.outcome).toBe('errors');
    expect(answer.json).toEqual({ response_action: 'errors', errors: { note: 'A note cannot be empty' } });
    expect(emu.views({ state: 'open' }).map((v) => v.id)).toEqual([view.id]);
  });

  it('views.open refuses a trigger older than 3 seconds', async () => {
    let openError: unknown;
    await startBot((app) => {
      app.action('handoff_note', async ({ ack, body, client }) => {
        await ack();
        now += 3001;
        openError = await client.views.open({ trigger_id: (body as { trigger_id: string }).trigger_id, view: noteModal('ho_42') }).catch((e: unknown) => e);
      });
    });
    const ts = await postCard();
    await emu.sendBlockAction({ user: 'U0BOB0001', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_note' });
    await expect.poll(() => openError).toBeDefined();
    expect((openError as { data: { error: string } }).data.error).toBe('expired_trigger_id');
    expect(emu.views()).toEqual([]);
  });

  it('a slash command arrives as Slack form fields and its ack body comes back', async () => {
    await startBot((app) => {
      app.command('/handoff', async ({ ack, command }) => {
        seen.push({ text: command.text, user: command.user_id, name: command.user_name, channel: command.channel_id, hasResponseUrl: command.response_url.startsWith(emu.url) });
        await ack({ response_type: 'ephemeral', text: '3 open, 1 claimed' });
      });
    });
    const answer = await emu.sendSlashCommand({ user: 'U0CAROL01', channel: 'C0CLINIC', text: 'status' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ response_type: 'ephemeral', text: '3 open, 1 claimed' });
    expect(seen).toEqual([{ text: 'status', user: 'U0CAROL01', name: 'carol', channel: 'C0CLINIC', hasResponseUrl: true }]);
  });

  it('the sandbox page can click a button over HTTP', async () => {
    await startBot((app) => {
      app.action('handoff_claim', async ({ ack, body }) => {
        await ack();
        seen.push({ user: body.user.id });
      });
    });
    const ts = await postCard();
    const res = await fetch(`${emu.url}_emulator/interactions/block-action`, {
      method: 'POST',
      body: JSON.stringify({ user: 'U0DAVID01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_claim' }),
    });
    expect(await res.json()).toMatchObject({ ok: true, answer: { status: 200 } });
    expect(seen).toEqual([{ user: 'U0DAVID01' }]);
  });

  it('refuses to click a button the message does not have', async () => {
    await startBot(() => {});
    const ts = await postCard();
    await expect(emu.sendBlockAction({ user: 'U0ALICE01', channel: 'C0CLINIC', messageTs: ts, actionId: 'handoff_resolve' })).rejects.toBeInstanceOf(EmulatorError);
  });
});

describe('response_url', () => {
  it('works 5 times within 30 minutes, then answers used_url / expired_url', async () => {
    const id = emu.state.issueResponseUrl({ channel: 'C0CLINIC', user: 'U0ALICE01' });
    const post = () => fetch(`${emu.url}response/${id}`, { method: 'POST', body: JSON.stringify({ text: 'hi' }), headers: { 'content-type': 'application/json' } });
    for (let i = 0; i < 5; i++) expect((await post()).status).toBe(200);
    expect(await (await post()).json()).toEqual({ ok: false, error: 'used_url' });
    const fresh = emu.state.issueResponseUrl({ channel: 'C0CLINIC', user: 'U0ALICE01' });
    now += 30 * 60_000;
    const late = await fetch(`${emu.url}response/${fresh}`, { method: 'POST', body: JSON.stringify({ text: 'hi' }) });
    expect(late.status).toBe(404);
    expect(emu.ephemerals('U0ALICE01')).toHaveLength(5);
  });

  it('refuses invalid blocks posted to a response_url', async () => {
    const id = emu.state.issueResponseUrl({ channel: 'C0CLINIC', user: 'U0ALICE01' });
    const res = await fetch(`${emu.url}response/${id}`, { method: 'POST', body: JSON.stringify({ blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    expect(emu.ephemerals()).toEqual([]);
  });
});
