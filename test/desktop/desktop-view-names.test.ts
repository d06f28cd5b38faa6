// #13 item 8 and #9 (retention), through the desktop core against the real bot: the mirror names
// people by their Slack display names and the reason by its configured label, Open in Slack finds
// a card posted after the handoff reached the desktop, and an erasure reaches the mirror at once.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { erasureFollowUps } from '../../bot/retention/erase-expired.js';
import { createDesktopController, type DesktopController } from '../../desktop/core/desktop-controller.js';
import { openLocalStore, type LocalStore } from '../../desktop/core/local-store.js';
import { startHarness, tempDir, type Harness } from '../support/harness.js';
import { testConfig } from '../support/test-config.js';
import { until } from '../support/until.js';
import { postHandoff, sampleHandoff } from '../support/webhooks.js';
import { api, pairedToken, pairingCodeFor } from '../support/desktop-api.js';

let h: Harness;
let store: LocalStore;
let controller: DesktopController;
let token: string | null = null;
const opened: string[] = [];

beforeAll(async () => {
  h = await startHarness({
    outbox: { paceMs: 0 },
    config: testConfig((doc) => {
      (doc.workflows[0]!.reasons.emergency_or_sensitive_request as Record<string, unknown>).label = 'Emergency or sensitive request';
      return doc;
    }),
  });
  store = openLocalStore({ path: join(tempDir('handoff-desktop-names-'), 'desktop.db') });
  controller = createDesktopController({
    store,
    vault: { get: () => token, set: (t) => (token = t) },
    notify: () => undefined,
    onTrayChange: () => undefined,
    openExternal: async (url) => void opened.push(url),
    minutesOfDay: () => 12 * 60,
    stream: { backoff: { initialMs: 20, maxMs: 100 } },
  });
  expect(await controller.pair(h.bot.url, await pairingCodeFor(h, 'U0ALICE01'))).toMatchObject({ ok: true });
});
afterAll(async () => {
  controller?.stop();
  store?.close();
  await h?.close();
});

async function urgent(): Promise<string> {
  const res = await postHandoff(h.bot.url, sampleHandoff());
  expect(res.status).toBe(202);
  return res.json.handoff_id as string;
}

describe('the desktop mirror against the real bot', () => {
  it('carries display names and the reason label, not user and reason ids', async () => {
    const id = await urgent();
    await until(() => store.getHandoff(id), 10_000, 'the handoff mirrored');
    expect(store.getHandoff(id)?.reason_label).toBe('Emergency or sensitive request');

    const bob = await pairedToken(h, 'U0BOB0001');
    expect((await api(h.bot.url, 'POST', `/v1/handoffs/${id}/claim`, bob)).status).toBe(200);
    await until(() => store.getHandoff(id)?.status === 'claimed', 10_000, 'the claim mirrored');
    const claimed = store.getHandoff(id)!;
    expect(claimed.claimed_by).toBe('U0BOB0001');
    // The emulator's users.info answers as Slack does (no display name set: the full name), so the
    // desktop names Bob as the card's mention does.
    expect(claimed.user_names).toEqual({ U0BOB0001: 'Bob Okafor' });

    // The answer to an action carries them too.
    const resolved = await api(h.bot.url, 'POST', `/v1/handoffs/${id}/resolve`, bob);
    expect(resolved.json).toMatchObject({ resolved_by: 'U0BOB0001', user_names: { U0BOB0001: 'Bob Okafor' }, reason_label: 'Emergency or sensitive request' });
  });

  it('opens the card of an open handoff whose link came after its last event', async () => {
    const id = await urgent();
    await until(() => store.getHandoff(id), 10_000, 'the handoff mirrored');
    const permalink = await until(async () => (await h.bot.store.handoffs.get(id))?.slackPermalink, 10_000, 'the card link');
    // The mirror may still hold the view of handoff.received, from before the card was posted.
    store.upsertHandoff({ ...store.getHandoff(id)!, slack_permalink: null }, null);
    const res = await controller.openInSlack(id);
    // The emulator's permalinks are not slack.com ones, which the app never opens; it learned the link.
    expect(store.getHandoff(id)?.slack_permalink).toBe(permalink);
    expect(res).toMatchObject({ ok: false, error: { code: 'no_slack_link', message: expect.stringContaining('slack.com') } });
    expect(opened).toEqual([]);
  });

  it('replaces a mirrored handoff by its erased view when retention runs, without a restart', async () => {
    const id = await urgent();
    await until(() => store.getHandoff(id)?.fields.length, 10_000, 'the fields mirrored');
    expect(JSON.stringify(store.getHandoff(id))).toContain('5555550123');
    expect((await h.bot.perform({ handoffId: id, action: 'resolve', actor: { kind: 'user', userId: 'U0ALICE01' } })).ok).toBe(true);
    await until(() => store.getHandoff(id)?.status === 'resolved', 10_000, 'the resolve mirrored');

    const now = Date.now();
    expect(await h.bot.store.retention.erase(now + 1, 0, now, erasureFollowUps(now))).toMatchObject({ handoffs: expect.any(Number) });
    await until(() => store.getHandoff(id)?.caller_id === null, 10_000, 'the erasure mirrored');
    expect(store.getHandoff(id)).toMatchObject({ status: 'resolved', fields: [], caller_id_masked: null });
    expect(JSON.stringify(store.listHandoffs({ includeResolved: true }).filter((v) => v.status === 'resolved'))).not.toContain('Dana Whitfield');
  });
});
