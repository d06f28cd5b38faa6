import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/harness.js';
import { openDatabase } from './db.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { newHandoffFixture } from '../../../test/support/fixtures.js';
import { insertHandoffOp, insertProviderCallOp, WRITE_STATEMENTS, type SqlValue } from '../write-ops.js';

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[]);
}

describe('migrations', () => {
  it('are numbered in increasing order', () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
  });

  it('bring a fresh database to the last version with every table, in WAL with synchronous=FULL', () => {
    const db = openDatabase(join(tempDir('handoff-migrate-'), 'fresh.db'));
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
    expect(tables(db)).toEqual(
      ['call_backs', 'desktop_pairing_codes', 'desktop_tokens', 'details_links', 'events', 'handoffs', 'idempotency_keys', 'notes', 'outbox', 'provider_calls', 'slack_digest_entries', 'slack_digests', 'slack_escalation_messages', 'weekly_digests'].sort(),
    );
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    db.close();
  });

  it('apply each one on top of the one before, and reopening changes nothing', () => {
    const file = join(tempDir('handoff-migrate-'), 'stepwise.db');
    const db = new Database(file);
    for (let i = 0; i < MIGRATIONS.length; i++) {
      expect(migrate(db, MIGRATIONS.slice(0, i + 1))).toBe(MIGRATIONS[i]!.version);
    }
    const before = tables(db);
    db.close();
    const reopened = openDatabase(file);
    expect(tables(reopened)).toEqual(before);
    reopened.close();
  });

  it('fill the source platform of handoffs made before 0160 from their platform call', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.filter((m) => m.version < 160));
    const { source_platform: _none, ...params } = insertHandoffOp(newHandoffFixture({ id: 'ho_old' })).params as Record<string, SqlValue>;
    db.prepare(WRITE_STATEMENTS.insertHandoff.replace(', source_platform', '').replace(', @source_platform', '')).run(params);
    db.prepare(WRITE_STATEMENTS.insertHandoff.replace(', source_platform', '').replace(', @source_platform', '')).run({ ...params, id: 'ho_api' });
    db.prepare(WRITE_STATEMENTS.insertProviderCall).run(insertProviderCallOp('clinic-after-hours', 'vapi', 'call-1', 'ho_old', 1).params);
    migrate(db, MIGRATIONS);
    expect(db.prepare('SELECT id, source_platform FROM handoffs ORDER BY id').all()).toEqual([
      { id: 'ho_api', source_platform: null },
      { id: 'ho_old', source_platform: 'vapi' },
    ]);
  });

  it('roll a failing migration back whole and keep the version', () => {
    const db = new Database(':memory:');
    migrate(db, MIGRATIONS.slice(0, 1));
    const broken = { version: 999, name: 'broken', up: (d: Database.Database) => d.exec('CREATE TABLE half (x); SELECT * FROM nowhere;') };
    expect(() => migrate(db, [...MIGRATIONS.slice(0, 1), broken])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[0]!.version);
    expect(tables(db)).not.toContain('half');
  });
});
