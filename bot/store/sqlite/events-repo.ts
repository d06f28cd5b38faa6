import type { Db } from './db.js';
import type { EventRecord } from '../records.js';
import { rowToEvent, type EventRow } from '../rows.js';
import { SQLITE } from '../sql/dialect.js';
import { eventStatements } from '../sql/events.js';
import { BoundRunner, statementCache } from './statement-cache.js';
import { appendEventOp, WRITE_STATEMENTS } from '../write-ops.js';
import type { EventsRepository, NewEvent } from '../store.js';

const E = eventStatements(SQLITE);

/** The append-only audit trail on SQLite (statements: ../sql/events.ts); `seq` is monotonic and is the SSE event id. Data holds no personal fields. */
export class SqliteEvents implements EventsRepository {
  private readonly run;
  private readonly sql;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
    this.sql = statementCache(db);
  }

  /** The intake's own insert (write-ops.ts): one definition of each write. */
  appendSync(handoffId: string, e: NewEvent): number {
    return Number(this.sql(WRITE_STATEMENTS.appendEvent).run(appendEventOp(handoffId, e.type, e.actor, e.at, e.data).params).lastInsertRowid);
  }

  async forHandoff(handoffId: string): Promise<EventRecord[]> {
    return this.run.all<EventRow>(E.forHandoff(handoffId)).map(rowToEvent);
  }

  async after(seq: number, limit = 500): Promise<EventRecord[]> {
    return this.run.all<EventRow>(E.after(seq, limit)).map(rowToEvent);
  }

  async lastSeq(): Promise<number> {
    return this.run.get<{ seq: number | null }>(E.lastSeq())?.seq ?? 0;
  }

  async latestOfUnresolvedRelevant(upToSeq: number, limit: number, afterSeq = 0): Promise<EventRecord[]> {
    return this.run.all<EventRow>(E.latestOfUnresolvedRelevant(upToSeq, limit, afterSeq)).map(rowToEvent);
  }

  async latestOfResolvedSince(cursor: number, upToSeq: number, limit: number): Promise<EventRecord[]> {
    return this.run.all<EventRow>(E.latestOfResolvedSince(cursor, upToSeq, limit)).map(rowToEvent);
  }
}
