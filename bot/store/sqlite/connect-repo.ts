import type { Db } from './db.js';
import type { ConnectState } from '../records.js';
import { connectStatements } from '../sql/connect.js';
import { SQLITE } from '../sql/dialect.js';
import { BoundRunner } from './statement-cache.js';

const C = connectStatements(SQLITE);

/** Claim-to-connect state of a handoff (docs/contract/reaching-the-caller.md; statements: ../sql/connect.ts); each write is a conditional UPDATE. */
export class SqliteConnectRows {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  startWaiting(id: string, now: number, until: number): boolean {
    return this.run.run(C.startWaiting(id, now, until)).changes === 1;
  }

  endWaiting(id: string, state: ConnectState, user: string | null, now: number): boolean {
    return this.run.run(C.endWaiting(id, state, user, now)).changes === 1;
  }

  expiredSync(now: number, limit = 100): string[] {
    return this.run.all<{ id: string }>(C.expired(now, limit)).map((r) => r.id);
  }
}
