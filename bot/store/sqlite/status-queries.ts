import { ALL_WORKFLOWS, type WorkflowScope } from '../../domain/may-act.js';
import type { Db } from './db.js';
import { queueCounts, rowToHandoff, type CountRow, type HandoffRow } from '../rows.js';
import { SQLITE } from '../sql/dialect.js';
import { statusStatements } from '../sql/status.js';
import { BoundRunner } from './statement-cache.js';
import type { HandoffRecord } from '../records.js';
import type { QueueCounts, StatusQueriesRepository } from '../store.js';

const S = statusStatements(SQLITE);

/**
 * Read models for `/handoff status` and `/handoff mine` on SQLite (statements: ../sql/status.ts). Every
 * query walks an index over the unresolved handoffs only, so the answer stays fast with any number of resolved ones.
 */
export class SqliteStatusQueries implements StatusQueriesRepository {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  async counts(scope: WorkflowScope = ALL_WORKFLOWS): Promise<QueueCounts> {
    return queueCounts(this.run.all<CountRow>(S.counts(scope)), this.run.get<{ at: number | null }>(S.oldestUnclaimed(scope))?.at ?? null);
  }

  async unresolved(limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    return this.run.all<HandoffRow>(S.unresolved(limit, scope)).map(rowToHandoff);
  }

  async mine(userId: string, limit: number, scope: WorkflowScope = ALL_WORKFLOWS): Promise<HandoffRecord[]> {
    return this.run.all<HandoffRow>(S.mine(userId, limit, scope)).map(rowToHandoff);
  }
}
