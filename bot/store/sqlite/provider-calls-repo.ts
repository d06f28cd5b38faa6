import type { Db } from './db.js';
import { providerCallStatements as P } from '../sql/small-tables.js';
import { BoundRunner } from './statement-cache.js';
import type { ProviderCallsRepository } from '../store.js';

/** Which handoff belongs to which voice-platform call (one per call and workflow, docs/contract/voice-platforms.md#one-handoff-per-call); rows are written with the handoff. */
export class SqliteProviderCalls implements ProviderCallsRepository {
  private readonly run;

  constructor(db: Db) {
    this.run = new BoundRunner(db);
  }

  async find(workflowId: string, platform: string, callId: string): Promise<string | null> {
    return this.run.get<{ handoff_id: string }>(P.find(workflowId, platform, callId))?.handoff_id ?? null;
  }
}
