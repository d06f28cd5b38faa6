import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeBot, type FakeBot } from '../../test/support/desktop/fake-bot.js';
import { CALLER_ID, view } from '../../test/support/fixtures.js';
import { untilPasses } from '../../test/support/until.js';
import { createEventStream } from './event-stream.js';
import { openLocalStore, type LocalStore } from './local-store.js';
import { createSync, type Notice, type Sync } from './sync.js';
import { TrayIconState, type TrayModel } from './tray-model.js';

let dir: string;
let bot: FakeBot;
const open: { sync: Sync; store: LocalStore }[] = [];

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-desktop-sync-'));
  bot = await startFakeBot();
});
afterEach(async () => {
  for (const o of open.splice(0)) {
    o.sync.stop();
    o.store.close();
  }
  await bot.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One app run: a store on the shared file, a real event stream to the fake bot. */
function runClient() {
  const store = openLocalStore({ path: join(dir, 'desktop.db') });
  const notices: Notice[] = [];
  const trays: TrayModel[] = [];
  const sync = createSync({
    store,
    notify: (n) => notices.push(n),
    onTrayChange: (m) => trays.push(m),
    minutesOfDay: () => 12 * 60,
    connect: (h) => createEventStream({ baseUrl: bot.url, getToken: () => bot.token, backoff: { initialMs: 5, maxMs: 10 }, ...h }),
  });
  open.push({ sync, store });
  sync.start();
  const stop = () => {
    sync.stop();
    store.close();
    open.splice(open.findIndex((o) => o.sync === sync), 1);
  };
  return { store, sync, notices, trays, stop };
}

describe('sync', () => {
  it('announces a new urgent handoff once, mirrors it and turns the tray urgent', async () => {
    const c = runClient();
    bot.publish(view({ id: 'ho_a' }));
    await untilPasses(() => expect(c.notices).toHaveLength(1));
    expect(c.notices[0]).toEqual({ handoffId: 'ho_a', title: 'Urgent handoff · Clinic after-hours line', body: 'emergency or sensitive request · urgent', urgent: true });
    expect(JSON.stringify(c.notices)).not.toContain(CALLER_ID);
    expect(c.store.getHandoff('ho_a')?.status).toBe('open');
    expect(c.trays.at(-1)?.icon).toBe(TrayIconState.Urgent);

    bot.publish(view({ id: 'ho_a', status: 'claimed', claimed_by: 'U1' }), 'handoff.claimed');
    await untilPasses(() => expect(c.store.getHandoff('ho_a')?.status).toBe('claimed'));
    expect(c.trays.at(-1)?.icon).toBe(TrayIconState.Idle);
    expect(c.notices).toHaveLength(1);
  });

  it('after a restart on the same SQLite file, resumes after the last event and announces nothing twice', async () => {
    const first = runClient();
    bot.publish(view({ id: 'ho_a' }));
    bot.publish(view({ id: 'ho_b' }));
    await untilPasses(() => expect(first.notices.map((n) => n.handoffId)).toEqual(['ho_a', 'ho_b']));
    first.stop();

    bot.publish(view({ id: 'ho_c' }));
    const second = runClient();
    await untilPasses(() => expect(second.notices.map((n) => n.handoffId)).toEqual(['ho_c']));
    expect(bot.streamRequests).toEqual([null, '2']);
    second.stop();

    // A server that lost its cursor replays everything: still nothing announced twice.
    bot.ignoreLastEventId = true;
    const third = runClient();
    await untilPasses(() => expect(third.store.getLastEventId()).toBe('3'));
    expect(third.notices).toEqual([]);
    expect(third.store.listHandoffs().map((h) => h.id).sort()).toEqual(['ho_a', 'ho_b', 'ho_c']);
  });

  it('announces again when the escalation level rises, not for other changes', async () => {
    const c = runClient();
    bot.publish(view({ id: 'ho_a' }));
    bot.publish(view({ id: 'ho_a' }), 'handoff.note_added');
    bot.publish(view({ id: 'ho_a', escalation_level: 1 }), 'handoff.escalated');
    bot.publish(view({ id: 'ho_a', status: 'resolved', escalation_level: 1 }), 'handoff.resolved');
    await untilPasses(() => expect(c.store.getHandoff('ho_a')?.status).toBe('resolved'));
    expect(c.notices.map((n) => n.title)).toEqual([
      'Urgent handoff · Clinic after-hours line',
      'Escalated handoff (level 1) · Clinic after-hours line',
    ]);
  });

  it('replaces a mirrored handoff by its erased view when retention erases it, without a restart', async () => {
    const c = runClient();
    bot.publish(view({ id: 'ho_a' }));
    bot.publish(view({ id: 'ho_a', status: 'resolved', resolved_by: 'U1' }), 'handoff.resolved');
    await untilPasses(() => expect(c.store.getHandoff('ho_a')?.status).toBe('resolved'));
    expect(JSON.stringify(c.store.listHandoffs({ includeResolved: true }))).toContain(CALLER_ID);

    bot.publish(view({ id: 'ho_a', status: 'resolved', resolved_by: 'U1', caller_id: null, caller_id_masked: null, fields: [] }), 'handoff.erased');
    await untilPasses(() => expect(c.store.getHandoff('ho_a')?.fields).toEqual([]));
    const kept = JSON.stringify(c.store.listHandoffs({ includeResolved: true }));
    expect(kept).not.toContain(CALLER_ID);
    expect(kept).not.toContain('Ada Lovelace');
    expect(c.notices).toHaveLength(1);
  });

  it('does not bring back an erased handoff it no longer mirrors', async () => {
    const c = runClient();
    bot.publish(view({ id: 'ho_gone', status: 'resolved', caller_id: null, caller_id_masked: null, fields: [] }), 'handoff.erased');
    bot.publish(view({ id: 'ho_b' }));
    await untilPasses(() => expect(c.store.getHandoff('ho_b')).not.toBeNull());
    expect(c.store.getHandoff('ho_gone')).toBeNull();
    expect(c.store.getLastEventId()).toBe('2');
  });

  it('shows offline in the tray while the server is gone', async () => {
    const c = runClient();
    await untilPasses(() => expect(c.sync.connection).toBe('online'));
    await bot.close();
    await untilPasses(() => expect(c.trays.at(-1)?.icon).toBe(TrayIconState.Offline));
    bot = await startFakeBot(); // afterEach closes it
  });
});
