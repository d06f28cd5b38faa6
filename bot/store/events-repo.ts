import type { EventType } from '../../shared/schemas/enums.js';
import type { Db } from './db.js';
import type { EventRecord } from './records.js';
import { appendEventOp, WRITE_STATEMENTS } from './write-ops.js';

interface EventRow {
  seq: number;
  handoff_id: string;
  type: string;
  actor: string | null;
  at: number;
  data: string;
}

function rowToEvent(r: EventRow): EventRecord {
  return { seq: r.seq, handoffId: r.handoff_id, type: r.type as EventType, actor: r.actor, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> };
}

/** The append-only audit trail; `seq` is monotonic and is the SSE event id. Data holds no personal fields. */
export class EventsRepo {
  private readonly appendStmt;
  private readonly forHandoffStmt;
  private readonly afterStmt;
  private readonly lastSeqStmt;

  constructor(db: Db) {
    this.appendStmt = db.prepare(WRITE_STATEMENTS.appendEvent);
    this.forHandoffStmt = db.prepare<[string], EventRow>('SELECT * FROM events WHERE handoff_id = ? ORDER BY seq');
    this.afterStmt = db.prepare<[number, number], EventRow>('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    this.lastSeqStmt = db.prepare<[], { seq: number | null }>('SELECT MAX(seq) AS seq FROM events');
  }

  append(handoffId: string, type: EventType, actor: string | null, at: number, data: Record<string, unknown> = {}): number {
    return Number(this.appendStmt.run(appendEventOp(handoffId, type, actor, at, data).params).lastInsertRowid);
  }

  forHandoff(handoffId: string): EventRecord[] {
    return this.forHandoffStmt.all(handoffId).map(rowToEvent);
  }

  after(seq: number, limit = 500): EventRecord[] {
    return this.afterStmt.all(seq, limit).map(rowToEvent);
  }

  lastSeq(): number {
    return this.lastSeqStmt.get()?.seq ?? 0;
  }
}
