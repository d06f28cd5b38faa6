import type { Db } from './db.js';

/** Notes added to handoffs (personal data: erased by retention). */
export class NotesRepo {
  private readonly insertStmt;

  constructor(db: Db) {
    this.insertStmt = db.prepare('INSERT INTO notes (handoff_id, author, text, at) VALUES (?, ?, ?, ?)');
  }

  /** Adds a note and returns its id. */
  add(handoffId: string, author: string, text: string, at: number): number {
    return Number(this.insertStmt.run(handoffId, author, text, at).lastInsertRowid);
  }
}
