import type { ConnectState } from '../records.js';
import type {
  CallBacksRepository,
  DesktopAuthRepository,
  IdempotencyRepository,
  NoteMessage,
  NoteRecord,
  NotesRepository,
  ProviderCallsRepository,
  SlackMessagesRepository,
  StoredResponse,
} from '../store.js';
import { connectStatements } from '../sql/connect.js';
import { POSTGRES } from '../sql/dialect.js';
import {
  callBackStatements,
  desktopAuthStatements as A,
  idempotencyStatements as I,
  noteStatements as N,
  providerCallStatements as P,
  slackMessageStatements as M,
  type ErasedNoteRow,
} from '../sql/small-tables.js';
import { putIdempotencyOp } from '../write-ops.js';
import { inTransaction, rowsOf, run, type Queryable } from './pool.js';
import { runWriteOp } from './write-ops.js';
import type pg from 'pg';

const C = connectStatements(POSTGRES);
const B = callBackStatements(POSTGRES);

// Statements: ../sql/small-tables.ts and ../sql/connect.ts, shared with SQLite.

/** Accepted (202) answers by (workflow, key): the primary key makes each key global across processes. */
export class PgIdempotency implements IdempotencyRepository {
  constructor(private readonly db: Queryable) {}

  async get(workflowId: string, key: string): Promise<StoredResponse | null> {
    const row = (await rowsOf<{ body_hash: string; handoff_id: string; response: string }>(this.db, I.get(workflowId, key)))[0];
    return row ? { bodyHash: row.body_hash, handoffId: row.handoff_id, response: row.response } : null;
  }

  async put(db: Queryable, r: { workflowId: string; key: string; bodyHash: string; response: string }, handoffId: string, now: number): Promise<void> {
    await runWriteOp(db, putIdempotencyOp(r.workflowId, r.key, r.bodyHash, handoffId, r.response, now));
  }
}

/** Notes (their text is personal data, erased by retention). */
export class PgNotes implements NotesRepository {
  constructor(private readonly db: Queryable) {}

  async insert(db: Queryable, handoffId: string, author: string, text: string, at: number): Promise<number> {
    return (await rowsOf<{ id: number }>(db, N.insert(handoffId, author, text, at)))[0]!.id;
  }

  async get(id: number): Promise<NoteRecord | null> {
    return (await rowsOf<NoteRecord>(this.db, N.get(id)))[0] ?? null;
  }

  async countFor(handoffId: string): Promise<number> {
    return (await rowsOf<{ n: number }>(this.db, N.countFor(handoffId)))[0]!.n;
  }

  async recordPosted(id: number, channel: string, ts: string): Promise<void> {
    await run(this.db, N.recordPosted(id, channel, ts));
  }

  async erasedInSlack(handoffId: string): Promise<NoteMessage[]> {
    return (await rowsOf<ErasedNoteRow>(this.db, N.erasedInSlack(handoffId))).map((r) => ({ noteId: r.id, channel: r.slack_channel, ts: r.slack_ts }));
  }

  async markDeletedFromSlack(id: number, now: number): Promise<void> {
    await run(this.db, N.markDeletedFromSlack(id, now));
  }
}

export class PgSlackMessages implements SlackMessagesRepository {
  constructor(private readonly db: Queryable) {}

  async escalations(handoffId: string): Promise<{ level: number; channel: string; ts: string }[]> {
    return rowsOf<{ level: number; channel: string; ts: string }>(this.db, M.escalations(handoffId));
  }

  async rememberEscalation(handoffId: string, level: number, channel: string, ts: string): Promise<void> {
    await run(this.db, M.rememberEscalation(handoffId, level, channel, ts));
  }
}

/** Pairing codes and bearer tokens (hashes only), in the shared database: any process accepts them. */
export class PgDesktopAuth implements DesktopAuthRepository {
  constructor(private readonly pool: pg.Pool) {}

  async addPairingCode(codeHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await run(this.pool, A.addPairingCode(codeHash, userId, now, expiresAt));
  }

  async exchangeCode(codeHash: string, tokenHash: string, deviceName: string | null, now: number): Promise<{ userId: string } | null> {
    return inTransaction(this.pool, async (c) => {
      const userId = (await rowsOf<{ user_id: string }>(c, A.useCode(codeHash, now)))[0]?.user_id;
      if (!userId) return null;
      await run(c, A.addToken(tokenHash, userId, deviceName, now));
      return { userId };
    });
  }

  async userOfToken(tokenHash: string): Promise<string | null> {
    return (await rowsOf<{ user_id: string }>(this.pool, A.userOfToken(tokenHash)))[0]?.user_id ?? null;
  }

  async revokeTokens(userId: string, now: number): Promise<number> {
    return run(this.pool, A.revokeTokens(userId, now));
  }
}

/** Which handoff belongs to which voice-platform call; rows are written with the handoff. */
export class PgProviderCalls implements ProviderCallsRepository {
  constructor(private readonly db: Queryable) {}

  async find(workflowId: string, platform: string, callId: string): Promise<string | null> {
    return (await rowsOf<{ handoff_id: string }>(this.db, P.find(workflowId, platform, callId)))[0]?.handoff_id ?? null;
  }
}

/** The Twilio calls Call back placed (docs/contract/reaching-the-caller.md#call-back), so a retry can tell its own call from another. */
export class PgCallBacks implements CallBacksRepository {
  constructor(private readonly db: Queryable) {}

  async recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): Promise<void> {
    await run(this.db, B.recordPlaced(outboxId, handoffId, callSid, at));
  }

  async known(sids: readonly string[]): Promise<Set<string>> {
    if (sids.length === 0) return new Set();
    return new Set((await rowsOf<{ call_sid: string }>(this.db, B.known(sids))).map((r) => r.call_sid));
  }
}

/** Claim-to-connect state of a handoff (docs/contract/reaching-the-caller.md; statements: ../sql/connect.ts); each write is a conditional UPDATE. */
export class PgConnectRows {
  async startWaiting(db: Queryable, id: string, now: number, until: number): Promise<boolean> {
    return (await run(db, C.startWaiting(id, now, until))) === 1;
  }

  async endWaiting(db: Queryable, id: string, state: ConnectState, user: string | null, now: number): Promise<boolean> {
    return (await run(db, C.endWaiting(id, state, user, now))) === 1;
  }

  async expired(db: Queryable, now: number, limit = 100): Promise<string[]> {
    return (await rowsOf<{ id: string }>(db, C.expired(now, limit))).map((r) => r.id);
  }
}
