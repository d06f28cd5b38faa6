import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopController, type DesktopController } from '../../desktop/core/desktop-controller.js';
import { openLocalStore, type LocalStore } from '../../desktop/core/local-store.js';
import type { Notice } from '../../desktop/core/sync.js';
import { startHarness, tempDir, type Harness } from '../support/harness.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { until } from '../support/until.js';
import { api, pairedToken, pairingCodeFor } from '../support/desktop-api.js';

let h: Harness;
let appDir: string;
/** The token vault survives app restarts, as Electron safeStorage does. */
let savedToken: string | null = null;

beforeAll(async () => {
  h = await startHarness({ outbox: { paceMs: 0 } });
  appDir = tempDir('handoff-desktop-app-');
});
afterAll(async () => {
  await h.close();
});

interface AppRun {
  controller: DesktopController;
  store: LocalStore;
  notices: Notice[];
  quit(): void;
}

/** One run of the desktop app's core on the same SQLite file, talking to the real bot. */
function launchApp(): AppRun {
  const store = openLocalStore({ path: join(appDir, 'desktop.db') });
  const notices: Notice[] = [];
  const controller = createDesktopController({
    store,
    vault: { get: () => savedToken, set: (t) => (savedToken = t) },
    notify: (n) => notices.push(n),
    onTrayChange: () => undefined,
    openExternal: async () => undefined,
    minutesOfDay: () => 12 * 60,
    deviceName: 'integration test',
    stream: { backoff: { initialMs: 20, maxMs: 100 } },
  });
  return {
    controller,
    store,
    notices,
    quit() {
      controller.stop();
      store.close();
    },
  };
}

async function urgent(): Promise<string> {
  const res = await postHandoff(h.bot.url, sampleHandoff());
  expect(res.status).toBe(202);
  return res.json.handoff_id as string;
}

describe('the desktop core (sync + local store) against the real bot', () => {
  it('pairs, mirrors, claims, and after restarts on the same file never announces a handoff twice', async () => {
    const before = await urgent();

    // Run 1: pair through the real API; the first connect mirrors what is already urgent.
    const run1 = launchApp();
    const paired = await run1.controller.pair(h.bot.url, await pairingCodeFor(h, 'U0ALICE01'));
    expect(paired).toEqual({ ok: true, data: { userId: 'U0ALICE01' } });
    await until(() => run1.notices.some((n) => n.handoffId === before));
    const during = await urgent();
    await until(() => run1.notices.some((n) => n.handoffId === during));
    expect(run1.controller.getState().connection).toBe('online');
    // Lock-screen safe by default: no caller data in the notification.
    for (const n of run1.notices) expect(`${n.title} ${n.body}`).not.toMatch(/5555550123|Dana/);

    const claim = await run1.controller.claim(before);
    expect(claim.ok && claim.data.status).toBe('claimed');
    expect(await h.bot.store.handoffs.get(before)).toMatchObject({ status: 'claimed', claimedBy: 'U0ALICE01' });
    const again = await run1.controller.claim(before);
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    await until(async () => run1.store.getLastEventId() === String((await h.bot.store.events.lastSeq())));
    run1.quit();

    // While the app is closed: one new urgent handoff, one resolved by someone else.
    const whileClosed = await urgent();
    const bobToken = await pairedToken(h, 'U0BOB0001');
    expect((await api(h.bot.url, 'POST', `/v1/handoffs/${during}/resolve`, bobToken)).status).toBe(200);

    // Run 2: resumes from its saved Last-Event-ID: only the new one pops up; the resolve is mirrored.
    const run2 = launchApp();
    run2.controller.start();
    await until(() => run2.notices.some((n) => n.handoffId === whileClosed));
    await until(() => run2.store.getHandoff(during)?.status === 'resolved');
    expect(run2.notices.map((n) => n.handoffId)).toEqual([whileClosed]);
    expect(run2.store.getHandoff(before)).toMatchObject({ status: 'claimed', claimed_by: 'U0ALICE01' });
    await until(async () => run2.store.getLastEventId() === String((await h.bot.store.events.lastSeq())));
    run2.quit();

    // Run 3: nothing new happened, so nothing pops up; a later one does, once.
    const run3 = launchApp();
    run3.controller.start();
    await until(() => run3.controller.getState().connection === 'online');
    const later = await urgent();
    await until(() => run3.notices.some((n) => n.handoffId === later));
    expect(run3.notices.map((n) => n.handoffId)).toEqual([later]);
    run3.quit();

    const everyNotice = [...run1.notices, ...run2.notices, ...run3.notices].map((n) => n.handoffId);
    expect(new Set(everyNotice).size).toBe(everyNotice.length);
  });
});
