import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import type { DesktopAuthRepository, NoteMessage, NoteRecord, NotesRepository, SlackMessagesRepository } from '../store.js';

/** Notes on SQLite (their text is personal data, erased by retention). */
export class SqliteNotes implements NotesRepository {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  insertSync(handoffId: string, author: string, text: string, at: number): number {
    return Number(this.sql('INSERT INTO notes (handoff_id, author, text, at) VALUES (?, ?, ?, ?)').run(handoffId, author, text, at).lastInsertRowid);
  }

  async get(id: number): Promise<NoteRecord | null> {
    return (this.sql('SELECT author, text FROM notes WHERE id = ?').get(id) as NoteRecord | undefined) ?? null;
  }

  async countFor(handoffId: string): Promise<number> {
    return (this.sql('SELECT COUNT(*) AS n FROM notes WHERE handoff_id = ? AND text IS NOT NULL').get(handoffId) as { n: number }).n;
  }

  async recordPosted(id: number, channel: string, ts: string): Promise<void> {
    this.sql('UPDATE notes SET slack_channel = ?, slack_ts = ? WHERE id = ?').run(channel, ts, id);
  }

  async erasedInSlack(handoffId: string): Promise<NoteMessage[]> {
    return (
      this.sql('SELECT id, slack_channel, slack_ts FROM notes WHERE handoff_id = ? AND text IS NULL AND slack_deleted_at IS NULL ORDER BY id').all(handoffId) as {
        id: number;
        slack_channel: string | null;
        slack_ts: string | null;
      }[]
    ).map((r) => ({ noteId: r.id, channel: r.slack_channel, ts: r.slack_ts }));
  }

  async markDeletedFromSlack(id: number, now: number): Promise<void> {
    this.sql('UPDATE notes SET slack_deleted_at = ? WHERE id = ?').run(now, id);
  }
}

export class SqliteSlackMessages implements SlackMessagesRepository {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  async escalations(handoffId: string): Promise<{ level: number; channel: string; ts: string }[]> {
    return this.sql('SELECT level, channel, ts FROM slack_escalation_messages WHERE handoff_id = ? ORDER BY level').all(handoffId) as {
      level: number;
      channel: string;
      ts: string;
    }[];
  }

  async rememberEscalation(handoffId: string, level: number, channel: string, ts: string): Promise<void> {
    this.sql('INSERT OR REPLACE INTO slack_escalation_messages (handoff_id, level, channel, ts) VALUES (?, ?, ?, ?)').run(handoffId, level, channel, ts);
  }
}

export class SqliteDesktopAuth implements DesktopAuthRepository {
  private readonly sql;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  async addPairingCode(codeHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    this.sql('INSERT INTO desktop_pairing_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)').run(codeHash, userId, now, expiresAt);
  }

  async exchangeCode(codeHash: string, tokenHash: string, deviceName: string | null, now: number): Promise<{ userId: string } | null> {
    return this.db.transaction(() => {
      const claimed = this.sql('UPDATE desktop_pairing_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id').get(
        now,
        codeHash,
        now,
      ) as { user_id: string } | undefined;
      if (!claimed) return null;
      this.sql('INSERT INTO desktop_tokens (token_hash, user_id, device_name, created_at) VALUES (?, ?, ?, ?)').run(tokenHash, claimed.user_id, deviceName, now);
      return { userId: claimed.user_id };
    }).immediate();
  }

  async userOfToken(tokenHash: string): Promise<string | null> {
    return (this.sql('SELECT user_id FROM desktop_tokens WHERE token_hash = ? AND revoked_at IS NULL').get(tokenHash) as { user_id: string } | undefined)?.user_id ?? null;
  }

  async revokeTokens(userId: string, now: number): Promise<number> {
    return this.sql('UPDATE desktop_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, userId).changes;
  }
}
