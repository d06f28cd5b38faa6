import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../shared/settings.js';
import { view } from '../../test/support/fixtures.js';
import { migrate, openLocalStore } from './local-store.js';
import { LATEST_VERSION, MIGRATIONS } from './store-migrations.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'handoff-desktop-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('local store migrations', () => {
  it('brings a fresh file to the last version, tracked in user_version', () => {
    const store = openLocalStore({ path: join(dir, 'a.db') });
    expect(store.schemaVersion).toBe(LATEST_VERSION);
    store.close();
    const db = new Database(join(dir, 'a.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(['announcements', 'handoffs', 'secrets', 'settings', 'stream_state']);
    db.close();
  });

  it('applies each migration on top of the one before, keeping existing rows', () => {
    const path = join(dir, 'b.db');
    const db = new Database(path);
    for (const m of MIGRATIONS) {
      expect(migrate(db, MIGRATIONS.filter((x) => x.version <= m.version))).toBe(m.version);
      if (m.version === 1) db.prepare('INSERT INTO announcements VALUES (?, ?, ?)').run('ho_old', 2, 1);
    }
    expect(db.prepare('SELECT escalation_level FROM announcements WHERE handoff_id = ?').pluck().get('ho_old')).toBe(2);
    db.close();
    const store = openLocalStore({ path });
    expect(store.getAnnouncedLevel('ho_old')).toBe(2);
    store.close();
  });

  it('runs no migration twice when reopened', () => {
    const path = join(dir, 'c.db');
    openLocalStore({ path }).close();
    const again = openLocalStore({ path });
    expect(again.schemaVersion).toBe(LATEST_VERSION);
    again.close();
  });
});

describe('local store data', () => {
  it('keeps handoffs, announcement marks, settings, last event id and secrets across a reopen', () => {
    const path = join(dir, 'd.db');
    const s1 = openLocalStore({ path, clock: () => 1000 });
    s1.upsertHandoff(view({ id: 'ho_a' }), 3);
    s1.markAnnounced('ho_a', 0);
    s1.updateSettings({ quietHours: { start: '22:00', end: '07:00' }, autoLaunch: true });
    s1.setLastEventId('3');
    s1.setSecret('token', Buffer.from([1, 2, 3]));
    s1.close();

    const s2 = openLocalStore({ path });
    expect(s2.getHandoff('ho_a')).toEqual(view({ id: 'ho_a' }));
    expect(s2.getAnnouncedLevel('ho_a')).toBe(0);
    expect(s2.getAnnouncedLevel('ho_never')).toBeNull();
    expect(s2.getSettings()).toEqual({ ...DEFAULT_SETTINGS, quietHours: { start: '22:00', end: '07:00' }, autoLaunch: true });
    expect(s2.getLastEventId()).toBe('3');
    expect(s2.getSecret('token')).toEqual(Buffer.from([1, 2, 3]));
    s2.close();
  });

  it('has secure defaults: caller data on the lock screen is off', () => {
    const store = openLocalStore({ path: join(dir, 'e.db') });
    expect(store.getSettings().showCallerDataOnLockScreen).toBe(false);
    store.close();
  });

  it('ignores a view from an older event than the one mirrored', () => {
    const store = openLocalStore({ path: join(dir, 'f.db') });
    store.upsertHandoff(view({ status: 'claimed' }), 5);
    store.upsertHandoff(view({ status: 'open' }), 4);
    expect(store.getHandoff('ho_1')?.status).toBe('claimed');
    store.upsertHandoff(view({ status: 'resolved' }), 6);
    expect(store.getHandoff('ho_1')?.status).toBe('resolved');
    store.close();
  });

  it('lists open work by severity then age, and resolved ones only on request', () => {
    const store = openLocalStore({ path: join(dir, 'g.db') });
    store.upsertHandoff(view({ id: 'ho_high', severity: 'high', escalation_level: 1, received_at: '2025-01-01T09:00:00Z' }), 1);
    store.upsertHandoff(view({ id: 'ho_late', received_at: '2025-01-01T11:00:00Z' }), 2);
    store.upsertHandoff(view({ id: 'ho_early', received_at: '2025-01-01T08:00:00Z' }), 3);
    store.upsertHandoff(view({ id: 'ho_done', status: 'resolved' }), 4);
    expect(store.listHandoffs().map((h) => h.id)).toEqual(['ho_early', 'ho_late', 'ho_high']);
    expect(store.listHandoffs({ includeResolved: true }).map((h) => h.id)).toEqual(['ho_early', 'ho_late', 'ho_high', 'ho_done']);
    store.close();
  });

  it('never lowers an announcement mark', () => {
    const store = openLocalStore({ path: join(dir, 'h.db') });
    store.markAnnounced('ho_1', 2);
    store.markAnnounced('ho_1', 1);
    expect(store.getAnnouncedLevel('ho_1')).toBe(2);
    store.close();
  });

  it('rejects invalid settings and keeps the old ones', () => {
    const store = openLocalStore({ path: join(dir, 'i.db') });
    expect(() => store.updateSettings({ quietHours: { start: '25:00', end: '07:00' } })).toThrow();
    expect(store.getSettings().quietHours).toBeNull();
    store.close();
  });

  it('prunes old resolved handoffs but keeps their announcement marks', () => {
    let now = 1000;
    const store = openLocalStore({ path: join(dir, 'j.db'), clock: () => now });
    store.upsertHandoff(view({ id: 'ho_old', status: 'resolved' }), 1);
    store.markAnnounced('ho_old', 0);
    now = 5000;
    store.upsertHandoff(view({ id: 'ho_new', status: 'resolved' }), 2);
    expect(store.pruneResolved(2000)).toBe(1);
    expect(store.getHandoff('ho_old')).toBeNull();
    expect(store.getHandoff('ho_new')).not.toBeNull();
    expect(store.getAnnouncedLevel('ho_old')).toBe(0);
    store.close();
  });
});
