import type { Db } from './db.js';
import { desktopAuthStatements as A, noteStatements as N, slackMessageStatements as M, type ErasedNoteRow } from '../sql/small-tables.js';
import { BoundRunner } from './statement-cache.js';
import type { DesktopAuthRepository, NoteMessage, NoteRecord, NotesRepository, SlackMessagesRepository } from '../store.js';

/** Notes on SQLite (their text is personal data, erased by retention; statements: ../sql/small-tables.ts). */
export class SqliteNotes implements NotesRepository {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  insertSync(handoffId: string, author: string, text: string, at: number): number {
    return this.run.get<{ id: number }>(N.insert(handoffId, author, text, at))!.id;
  }

  async get(id: number): Promise<NoteRecord | null> {
    return this.run.get<NoteRecord>(N.get(id)) ?? null;
  }

  async countFor(handoffId: string): Promise<number> {
    return this.run.get<{ n: number }>(N.countFor(handoffId))!.n;
  }

  async recordPosted(id: number, channel: string, ts: string): Promise<void> {
    this.run.run(N.recordPosted(id, channel, ts));
  }

  async erasedInSlack(handoffId: string): Promise<NoteMessage[]> {
    return this.run.all<ErasedNoteRow>(N.erasedInSlack(handoffId)).map((r) => ({ noteId: r.id, channel: r.slack_channel, ts: r.slack_ts }));
  }

  async markDeletedFromSlack(id: number, now: number): Promise<void> {
    this.run.run(N.markDeletedFromSlack(id, now));
  }
}

export class SqliteSlackMessages implements SlackMessagesRepository {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  async escalations(handoffId: string): Promise<{ level: number; channel: string; ts: string }[]> {
    return this.run.all<{ level: number; channel: string; ts: string }>(M.escalations(handoffId));
  }

  async rememberEscalation(handoffId: string, level: number, channel: string, ts: string): Promise<void> {
    this.run.run(M.rememberEscalation(handoffId, level, channel, ts));
  }
}

export class SqliteDesktopAuth implements DesktopAuthRepository {
  private readonly run;

  constructor(private readonly db: Db) {
    this.run = new BoundRunner(db);
  }

  async addPairingCode(codeHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    this.run.run(A.addPairingCode(codeHash, userId, now, expiresAt));
  }

  async exchangeCode(codeHash: string, tokenHash: string, deviceName: string | null, now: number): Promise<{ userId: string } | null> {
    return this.db.transaction(() => {
      const claimed = this.run.get<{ user_id: string }>(A.useCode(codeHash, now));
      if (!claimed) return null;
      this.run.run(A.addToken(tokenHash, claimed.user_id, deviceName, now));
      return { userId: claimed.user_id };
    }).immediate();
  }

  async userOfToken(tokenHash: string): Promise<string | null> {
    return this.run.get<{ user_id: string }>(A.userOfToken(tokenHash))?.user_id ?? null;
  }

  async revokeTokens(userId: string, now: number): Promise<number> {
    return this.run.run(A.revokeTokens(userId, now)).changes;
  }
}
