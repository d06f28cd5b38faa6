import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBot, type FakeBot } from '../../test/support/desktop/fake-bot.js';
import { view } from '../../test/support/fixtures.js';
import { untilPasses } from '../../test/support/until.js';
import { createApiClient, ApiError } from './api-client.js';
import { createDesktopController, type DesktopController } from './desktop-controller.js';
import { openLocalStore, type LocalStore } from './local-store.js';
import type { Notice } from './sync.js';

let dir: string;
let bot: FakeBot;
let store: LocalStore;
let controller: DesktopController;
let token: string | null;
let opened: string[];
let notices: Notice[];
let autoLaunch: boolean[];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-desktop-ctl-'));
  bot = await startFakeBot();
  store = openLocalStore({ path: join(dir, 'd.db') });
  token = null;
  opened = [];
  notices = [];
  autoLaunch = [];
  controller = createDesktopController({
    store,
    vault: { get: () => token, set: (t) => (token = t) },
    notify: (n) => notices.push(n),
    onTrayChange: () => undefined,
    openExternal: async (url) => void opened.push(url),
    setAutoLaunch: (on) => autoLaunch.push(on),
    minutesOfDay: () => 12 * 60,
    stream: { backoff: { initialMs: 5, maxMs: 10 } },
  });
  controller.start();
});
afterEach(async () => {
  controller.stop();
  store.close();
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('desktop controller', () => {
  it('starts unpaired, pairs with a code, keeps the token out of the state and goes online', async () => {
    expect(controller.getState()).toMatchObject({ connection: 'unpaired', paired: false });
    const res = await controller.pair(bot.url, bot.pairingCode);
    expect(res).toEqual({ ok: true, data: { userId: 'U0OWNER' } });
    expect(token).toBe(bot.token);
    await untilPasses(() => expect(controller.getState().connection).toBe('online'));
    const state = controller.getState();
    expect(state).toMatchObject({ paired: true, userId: 'U0OWNER', settings: { serverUrl: bot.url } });
    expect(JSON.stringify(state)).not.toContain(bot.token);
  });

  it('refuses a reused pairing code with invalid_pairing_code', async () => {
    await controller.pair(bot.url, bot.pairingCode);
    const again = await controller.pair(bot.url, bot.pairingCode);
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid_pairing_code' } });
  });

  it('reports an unreachable server as network_error', async () => {
    const closed = await startFakeBot();
    await closed.close();
    expect(await controller.pair(closed.url, 'X')).toMatchObject({ ok: false, error: { code: 'network_error' } });
  });

  it('claims with the bearer token and mirrors the answer at once', async () => {
    bot.publish(view({ id: 'ho_a' }));
    await controller.pair(bot.url, bot.pairingCode);
    await untilPasses(() => expect(store.getHandoff('ho_a')).not.toBeNull());
    const res = await controller.claim('ho_a');
    expect(res).toMatchObject({ ok: true, data: { status: 'claimed', claimed_by: 'U0OWNER' } });
    expect(store.getHandoff('ho_a')?.status).toBe('claimed');
    expect(bot.actionRequests).toEqual([{ id: 'ho_a', action: 'claim', auth: `Bearer ${bot.token}` }]);
    expect(notices.map((n) => n.handoffId)).toEqual(['ho_a']);
  });

  it('answers conflict for a handoff someone else claimed and shows the current owner', async () => {
    bot.publish(view({ id: 'ho_a', status: 'claimed', claimed_by: 'U0OTHER' }));
    await controller.pair(bot.url, bot.pairingCode);
    store.upsertHandoff(view({ id: 'ho_a' }), null); // a stale mirror
    const res = await controller.claim('ho_a');
    expect(res).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(store.getHandoff('ho_a')?.claimed_by).toBe('U0OTHER');
  });

  it('refuses actions before pairing without calling the server', async () => {
    expect(await controller.resolve('ho_a')).toMatchObject({ ok: false, error: { code: 'not_paired' } });
    expect(bot.actionRequests).toEqual([]);
  });

  it('opens only https Slack permalinks', async () => {
    store.upsertHandoff(view({ id: 'ho_ok' }), 1);
    store.upsertHandoff(view({ id: 'ho_bad', slack_permalink: 'https://evil.test/phish' }), 2);
    expect(await controller.openInSlack('ho_ok')).toEqual({ ok: true, data: {} });
    expect(await controller.openInSlack('ho_bad')).toMatchObject({ ok: false, error: { code: 'no_slack_link' } });
    expect(opened).toEqual(['https://example.slack.com/archives/C0CLINIC/p1700000000000100']);
  });

  it('asks the server for the card link when the mirror has none yet, and says why when there is no card', async () => {
    bot.publish(view({ id: 'ho_a', slack_permalink: null }));
    bot.publish(view({ id: 'ho_b', slack_permalink: null }));
    await controller.pair(bot.url, bot.pairingCode);
    await untilPasses(() => expect(store.getHandoff('ho_b')).not.toBeNull());
    bot.setView(view({ id: 'ho_a' })); // the card was posted after the handoff's last event

    expect(await controller.openInSlack('ho_a')).toEqual({ ok: true, data: {} });
    expect(opened).toEqual(['https://example.slack.com/archives/C0CLINIC/p1700000000000100']);
    expect(store.getHandoff('ho_a')?.slack_permalink).toBe('https://example.slack.com/archives/C0CLINIC/p1700000000000100');

    const none = await controller.openInSlack('ho_b');
    expect(none).toMatchObject({ ok: false, error: { code: 'no_slack_link' } });
    expect(!none.ok && none.error.message).toContain('not posted yet');
  });

  it('saves settings, calls auto-launch only when it changes, and pauses notifications', () => {
    expect(controller.saveSettings({ autoLaunch: true, showCallerDataOnLockScreen: true })).toMatchObject({ ok: true });
    controller.saveSettings({ autoLaunch: true });
    expect(autoLaunch).toEqual([true]);
    expect(controller.saveSettings({ quietHours: { start: 'late', end: '07:00' } })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    controller.pauseNotifications(60_000);
    expect(controller.getState().settings.snoozeUntil).toBeGreaterThan(Date.now());
    controller.resumeNotifications();
    expect(controller.getState().settings.snoozeUntil).toBeNull();
  });

  it('turns unauthorized when the server stops accepting the token, and unpair forgets it', async () => {
    await controller.pair(bot.url, bot.pairingCode);
    await untilPasses(() => expect(controller.getState().connection).toBe('online'));
    bot.token = 'revoked-on-server';
    bot.dropStreams(); // the reconnect meets a 401
    await untilPasses(() => expect(controller.getState().connection).toBe('unauthorized'));
    expect(controller.unpair()).toEqual({ ok: true, data: {} });
    expect(token).toBeNull();
    expect(controller.getState()).toMatchObject({ connection: 'unpaired', paired: false, userId: null });
  });
});

describe('api client', () => {
  it('maps error bodies to stable codes and rejects answers that do not match the schema', async () => {
    const client = createApiClient({
      baseUrl: bot.url,
      getToken: () => bot.token,
      fetch: async (input) =>
        String(input).endsWith('/claim')
          ? new Response(JSON.stringify({ error: 'rate_limited', message: 'slow down' }), { status: 429 })
          : new Response(JSON.stringify({ id: 'ho_a' }), { status: 200 }),
    });
    await expect(client.act('ho_a', 'claim')).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    await expect(client.getHandoff('ho_a')).rejects.toBeInstanceOf(ApiError);
    await expect(client.getHandoff('ho_a')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('answers unauthorized for a wrong token against the real server', async () => {
    bot.publish(view({ id: 'ho_a' }));
    const client = createApiClient({ baseUrl: bot.url, getToken: () => 'nope' });
    await expect(client.getHandoff('ho_a')).rejects.toMatchObject({ code: 'unauthorized', status: 401 });
    const good = createApiClient({ baseUrl: `${bot.url}/`, getToken: () => bot.token });
    await expect(good.getHandoff('ho_a')).resolves.toEqual(view({ id: 'ho_a' }));
  });
});
