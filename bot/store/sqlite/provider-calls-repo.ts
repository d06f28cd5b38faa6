import type { Db } from './db.js';
import { statementCache } from './statement-cache.js';
import type { ProviderCallsRepository } from '../store.js';

/** Which handoff belongs to which voice-platform call (one per call and workflow, docs/contract/voice-platforms.md#one-handoff-per-call); rows are written with the handoff. */
export class SqliteProviderCalls implements ProviderCallsRepository {
  private readonly sql;

  constructor(db: Db) {
    this.sql = statementCache(db);
  }

  async find(workflowId: string, platform: string, callId: string): Promise<string | null> {
    const row = this.sql('SELECT handoff_id FROM provider_calls WHERE workflow_id = ? AND platform = ? AND call_id = ?').get(workflowId, platform, callId) as
      | { handoff_id: string }
      | undefined;
    return row?.handoff_id ?? null;
  }
}
