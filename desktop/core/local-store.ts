/**
 * The app's own SQLite file (in Electron's userData): mirrored handoffs, which
 * handoffs were announced and at which escalation level, settings, the last event
 * id of the stream and encrypted secrets.
 */
import Database from 'better-sqlite3';
import { handoffViewSchema, type HandoffView } from '../../shared/schemas/handoff-view.js';
import { DEFAULT_SETTINGS, settingsSchema, type Settings, type SettingsPatch } from '../shared/settings.js';
import { MIGRATIONS, type Migration } from './store-migrations.js';

export interface LocalStoreOptions {
  path: string;
  /** Path of a better_sqlite3.node built for the running ABI (Electron); tests use the default. */
  nativeBinding?: string;
  clock?: () => number;
  migrations?: readonly Migration[];
}

export interface LocalStore {
  readonly schemaVersion: number;
  transaction<T>(fn: () => T): T;
  /** Keeps the newest view: a view from an older event (lower seq) is ignored. */
  upsertHandoff(view: HandoffView, seq: number | null): void;
  getHandoff(id: string): HandoffView | null;
  listHandoffs(opts?: { includeResolved?: boolean }): HandoffView[];
  /** Escalation level at which the handoff was last announced; null if never. */
  getAnnouncedLevel(id: string): number | null;
  markAnnounced(id: string, level: number): void;
  getSettings(): Settings;
  updateSettings(patch: SettingsPatch): Settings;
  getLastEventId(): string | null;
  setLastEventId(id: string | null): void;
  /** Small named values of the app (e.g. the paired user id). */
  getMeta(key: string): string | null;
  setMeta(key: string, value: string | null): void;
  /** Forgets every mirrored handoff (pairing with another server); announcement marks stay. */
  clearMirror(): void;
  getSecret(name: string): Buffer | null;
  setSecret(name: string, value: Buffer | null): void;
  /** Removes resolved handoffs last changed before `olderThanMs` (announcement marks stay). */
  pruneResolved(olderThanMs: number): number;
  close(): void;
}

export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  let current = db.pragma('user_version', { simple: true }) as number;
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    current = m.version;
  }
  return current;
}

const SEVERITY_ORDER = "CASE severity WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END";

export function openLocalStore(opts: LocalStoreOptions): LocalStore {
  const clock = opts.clock ?? Date.now;
  const db = new Database(opts.path, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  const schemaVersion = migrate(db, opts.migrations);

  const stmt = {
    getSeq: db.prepare<[string], { last_seq: number }>('SELECT last_seq FROM handoffs WHERE id = ?'),
    upsert: db.prepare(`
      INSERT INTO handoffs (id, workflow_id, severity, status, escalation_level, received_at, last_seq, updated_at, view_json)
      VALUES (@id, @workflow_id, @severity, @status, @escalation_level, @received_at, @last_seq, @updated_at, @view_json)
      ON CONFLICT (id) DO UPDATE SET workflow_id = excluded.workflow_id, severity = excluded.severity,
        status = excluded.status, escalation_level = excluded.escalation_level, received_at = excluded.received_at,
        last_seq = excluded.last_seq, updated_at = excluded.updated_at, view_json = excluded.view_json`),
    get: db.prepare<[string], { view_json: string }>('SELECT view_json FROM handoffs WHERE id = ?'),
    listOpen: db.prepare<[], { view_json: string }>(
      `SELECT view_json FROM handoffs WHERE status != 'resolved' ORDER BY ${SEVERITY_ORDER}, received_at`,
    ),
    listAll: db.prepare<[], { view_json: string }>(
      `SELECT view_json FROM handoffs ORDER BY status = 'resolved', ${SEVERITY_ORDER}, received_at`,
    ),
    getAnnounced: db.prepare<[string], { escalation_level: number }>(
      'SELECT escalation_level FROM announcements WHERE handoff_id = ?',
    ),
    markAnnounced: db.prepare(`
      INSERT INTO announcements (handoff_id, escalation_level, announced_at) VALUES (?, ?, ?)
      ON CONFLICT (handoff_id) DO UPDATE SET escalation_level = MAX(escalation_level, excluded.escalation_level),
        announced_at = excluded.announced_at`),
    getSettings: db.prepare<[], { key: string; value_json: string }>('SELECT key, value_json FROM settings'),
    setSetting: db.prepare(
      'INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json',
    ),
    getState: db.prepare<[string], { value: string }>('SELECT value FROM stream_state WHERE key = ?'),
    setState: db.prepare(
      'INSERT INTO stream_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    ),
    deleteState: db.prepare('DELETE FROM stream_state WHERE key = ?'),
    getSecret: db.prepare<[string], { value: Buffer }>('SELECT value FROM secrets WHERE name = ?'),
    setSecret: db.prepare(
      'INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value',
    ),
    deleteSecret: db.prepare('DELETE FROM secrets WHERE name = ?'),
    prune: db.prepare("DELETE FROM handoffs WHERE status = 'resolved' AND updated_at < ?"),
  };

  const parseView = (json: string): HandoffView => handoffViewSchema.parse(JSON.parse(json));

  function getSettings(): Settings {
    const merged: Record<string, unknown> = { ...DEFAULT_SETTINGS };
    for (const row of stmt.getSettings.all()) {
      if (row.key in DEFAULT_SETTINGS) merged[row.key] = JSON.parse(row.value_json) as unknown;
    }
    // A value written by a newer or broken build falls back to the defaults, not a crash.
    const parsed = settingsSchema.safeParse(merged);
    return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
  }

  function getMeta(key: string): string | null {
    return stmt.getState.get(key)?.value ?? null;
  }

  function setMeta(key: string, value: string | null): void {
    if (value === null) stmt.deleteState.run(key);
    else stmt.setState.run(key, value);
  }

  return {
    schemaVersion,
    transaction: (fn) => db.transaction(fn)(),
    upsertHandoff(view, seq) {
      const existing = stmt.getSeq.get(view.id);
      if (existing && seq !== null && seq < existing.last_seq) return;
      stmt.upsert.run({
        id: view.id,
        workflow_id: view.workflow_id,
        severity: view.severity,
        status: view.status,
        escalation_level: view.escalation_level,
        received_at: view.received_at,
        last_seq: seq ?? existing?.last_seq ?? 0,
        updated_at: clock(),
        view_json: JSON.stringify(view),
      });
    },
    getHandoff(id) {
      const row = stmt.get.get(id);
      return row ? parseView(row.view_json) : null;
    },
    listHandoffs(o) {
      return (o?.includeResolved ? stmt.listAll : stmt.listOpen).all().map((r) => parseView(r.view_json));
    },
    getAnnouncedLevel(id) {
      return stmt.getAnnounced.get(id)?.escalation_level ?? null;
    },
    markAnnounced(id, level) {
      stmt.markAnnounced.run(id, level, clock());
    },
    getSettings,
    updateSettings(patch) {
      const next = settingsSchema.parse({ ...getSettings(), ...patch });
      db.transaction(() => {
        for (const [k, v] of Object.entries(patch)) if (v !== undefined) stmt.setSetting.run(k, JSON.stringify(v));
      })();
      return next;
    },
    getLastEventId: () => getMeta('last_event_id'),
    setLastEventId: (id) => setMeta('last_event_id', id),
    getMeta,
    setMeta,
    clearMirror() {
      db.exec('DELETE FROM handoffs');
    },
    getSecret(name) {
      return stmt.getSecret.get(name)?.value ?? null;
    },
    setSecret(name, value) {
      if (value === null) stmt.deleteSecret.run(name);
      else stmt.setSecret.run(name, value);
    },
    pruneResolved(olderThanMs) {
      return stmt.prune.run(olderThanMs).changes;
    },
    close() {
      db.close();
    },
  };
}
