import type { Db } from './db.js';
import { rowToHandoff, toDigest, type DigestRow, type HandoffRow } from '../rows.js';
import { SQLITE, type Bound } from '../sql/dialect.js';
import { stormDigestStatements } from '../sql/digests.js';
import type { DigestRecord, HandoffRecord } from '../records.js';
import type { StormDigestsRepository } from '../store.js';
import { BoundRunner, statementCache } from './statement-cache.js';

const D = stormDigestStatements(SQLITE);

/** The digest messages of storm-safe delivery and which handoffs each lists (statements: ../sql/digests.ts). */
export class SqliteStormDigests implements StormDigestsRepository {
  private readonly run;
  private readonly sql;

  constructor(private readonly db: Db) {
    this.run = new BoundRunner(db);
    this.sql = statementCache(db);
  }

  async waitingUndigested(paceKey: string, limit: number): Promise<string[]> {
    return this.run.all<{ handoff_id: string }>(D.waitingUndigested(paceKey, limit)).map((r) => r.handoff_id);
  }

  async create(channel: string, handoffIds: readonly string[], now: number): Promise<DigestRecord> {
    return this.db.transaction(() => {
      const digest = this.run.get<DigestRow>(D.insert(channel, now))!;
      const add = this.sql('INSERT INTO slack_digest_entries (handoff_id, digest_id, position) VALUES (?, ?, ?)');
      handoffIds.forEach((h, i) => add.run(h, digest.id, i));
      return toDigest(digest);
    })();
  }

  async get(id: number): Promise<DigestRecord | null> {
    return this.one(D.get(id));
  }

  async unposted(channel: string): Promise<DigestRecord[]> {
    return this.run.all<DigestRow>(D.unposted(channel)).map(toDigest);
  }

  async open(): Promise<DigestRecord[]> {
    return this.run.all<DigestRow>(D.open()).map(toDigest);
  }

  async markAttempted(id: number, now: number): Promise<void> {
    this.run.run(D.markAttempted(id, now));
  }

  async markPosted(id: number, ts: string, renderedHash: string): Promise<void> {
    this.run.run(D.markPosted(id, ts, renderedHash));
  }

  async recordPermalink(id: number, permalink: string): Promise<void> {
    this.run.run(D.recordPermalink(id, permalink));
  }

  async markRendered(id: number, renderedHash: string, closedAt: number | null): Promise<void> {
    this.run.run(D.markRendered(id, renderedHash, closedAt));
  }

  async entries(digestId: number): Promise<HandoffRecord[]> {
    return this.run.all<HandoffRow>(D.entries(digestId)).map(rowToHandoff);
  }

  async digestOf(handoffId: string): Promise<DigestRecord | null> {
    return this.one(D.digestOf(handoffId));
  }

  private one(b: Bound): DigestRecord | null {
    const row = this.run.get<DigestRow>(b);
    return row ? toDigest(row) : null;
  }
}
