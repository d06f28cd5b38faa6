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
import { inTransaction, q, run, type Queryable } from './pool.js';
import type pg from 'pg';

const C = connectStatements(POSTGRES);

/** Accepted (202) answers by (workflow, key): the primary key makes each key global across processes. */
export class PgIdempotency implements IdempotencyRepository {
  constructor(private readonly db: Queryable) {}

  async get(workflowId: string, key: string): Promise<StoredResponse | null> {
    const { rows } = await q<{ body_hash: string; handoff_id: string; response: string }>(
      this.db,
      'SELECT body_hash, handoff_id, response FROM idempotency_keys WHERE workflow_id = @workflowId AND key = @key',
      { workflowId, key },
    );
    const row = rows[0];
    return row ? { bodyHash: row.body_hash, handoffId: row.handoff_id, response: row.response } : null;
  }

  async put(db: Queryable, r: { workflowId: string; key: string; bodyHash: string; response: string }, handoffId: string, now: number): Promise<void> {
    await q(db, 'INSERT INTO idempotency_keys (workflow_id, key, body_hash, handoff_id, response, created_at) VALUES (@workflowId, @key, @bodyHash, @handoffId, @response, @now)', {
      ...r,
      handoffId,
      now,
    });
  }
}

/** Notes (their text is personal data, erased by retention). */
export class PgNotes implements NotesRepository {
  constructor(private readonly db: Queryable) {}

  async insert(db: Queryable, handoffId: string, author: string, text: string, at: number): Promise<number> {
    const { rows } = await q<{ id: number }>(db, 'INSERT INTO notes (handoff_id, author, text, at) VALUES (@handoffId, @author, @text, @at) RETURNING id', { handoffId, author, text, at });
    return rows[0]!.id;
  }

  async get(id: number): Promise<NoteRecord | null> {
    return (await q<NoteRecord>(this.db, 'SELECT author, text FROM notes WHERE id = @id', { id })).rows[0] ?? null;
  }

  async countFor(handoffId: string): Promise<number> {
    return (await q<{ n: number }>(this.db, 'SELECT COUNT(*) AS n FROM notes WHERE handoff_id = @handoffId AND text IS NOT NULL', { handoffId })).rows[0]!.n;
  }

  async recordPosted(id: number, channel: string, ts: string): Promise<void> {
    await q(this.db, 'UPDATE notes SET slack_channel = @channel, slack_ts = @ts WHERE id = @id', { id, channel, ts });
  }

  async erasedInSlack(handoffId: string): Promise<NoteMessage[]> {
    const { rows } = await q<{ id: number; slack_channel: string | null; slack_ts: string | null }>(
      this.db,
      'SELECT id, slack_channel, slack_ts FROM notes WHERE handoff_id = @handoffId AND text IS NULL AND slack_deleted_at IS NULL ORDER BY id',
      { handoffId },
    );
    return rows.map((r) => ({ noteId: r.id, channel: r.slack_channel, ts: r.slack_ts }));
  }

  async markDeletedFromSlack(id: number, now: number): Promise<void> {
    await q(this.db, 'UPDATE notes SET slack_deleted_at = @now WHERE id = @id', { id, now });
  }
}

export class PgSlackMessages implements SlackMessagesRepository {
  constructor(private readonly db: Queryable) {}

  async escalations(handoffId: string): Promise<{ level: number; channel: string; ts: string }[]> {
    return (await q<{ level: number; channel: string; ts: string }>(this.db, 'SELECT level, channel, ts FROM slack_escalation_messages WHERE handoff_id = @handoffId ORDER BY level', { handoffId }))
      .rows;
  }

  async rememberEscalation(handoffId: string, level: number, channel: string, ts: string): Promise<void> {
    await q(
      this.db,
      `INSERT INTO slack_escalation_messages (handoff_id, level, channel, ts) VALUES (@handoffId, @level, @channel, @ts)
       ON CONFLICT (handoff_id, level) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts`,
      { handoffId, level, channel, ts },
    );
  }
}

/** Pairing codes and bearer tokens (hashes only), in the shared database: any process accepts them. */
export class PgDesktopAuth implements DesktopAuthRepository {
  constructor(private readonly pool: pg.Pool) {}

  async addPairingCode(codeHash: string, userId: string, now: number, expiresAt: number): Promise<void> {
    await q(this.pool, 'INSERT INTO desktop_pairing_codes (code_hash, user_id, created_at, expires_at) VALUES (@codeHash, @userId, @now, @expiresAt)', {
      codeHash,
      userId,
      now,
      expiresAt,
    });
  }

  async exchangeCode(codeHash: string, tokenHash: string, deviceName: string | null, now: number): Promise<{ userId: string } | null> {
    return inTransaction(this.pool, async (c) => {
      // The conditional UPDATE uses a code once, whichever process two racing exchanges reach.
      const { rows } = await q<{ user_id: string }>(
        c,
        'UPDATE desktop_pairing_codes SET used_at = @now WHERE code_hash = @codeHash AND used_at IS NULL AND expires_at > @now RETURNING user_id',
        { now, codeHash },
      );
      const userId = rows[0]?.user_id;
      if (!userId) return null;
      await q(c, 'INSERT INTO desktop_tokens (token_hash, user_id, device_name, created_at) VALUES (@tokenHash, @userId, @deviceName, @now)', { tokenHash, userId, deviceName, now });
      return { userId };
    });
  }

  async userOfToken(tokenHash: string): Promise<string | null> {
    const { rows } = await q<{ user_id: string }>(this.pool, 'SELECT user_id FROM desktop_tokens WHERE token_hash = @tokenHash AND revoked_at IS NULL', { tokenHash });
    return rows[0]?.user_id ?? null;
  }

  async revokeTokens(userId: string, now: number): Promise<number> {
    return (await q(this.pool, 'UPDATE desktop_tokens SET revoked_at = @now WHERE user_id = @userId AND revoked_at IS NULL', { userId, now })).rowCount ?? 0;
  }
}

/** Which handoff belongs to which voice-platform call; rows are written with the handoff. */
export class PgProviderCalls implements ProviderCallsRepository {
  constructor(private readonly db: Queryable) {}

  async find(workflowId: string, platform: string, callId: string): Promise<string | null> {
    const { rows } = await q<{ handoff_id: string }>(
      this.db,
      'SELECT handoff_id FROM provider_calls WHERE workflow_id = @workflowId AND platform = @platform AND call_id = @callId',
      { workflowId, platform, callId },
    );
    return rows[0]?.handoff_id ?? null;
  }
}

/** The Twilio calls Call back placed (docs/contract/reaching-the-caller.md#call-back), so a retry can tell its own call from another. */
export class PgCallBacks implements CallBacksRepository {
  constructor(private readonly db: Queryable) {}

  async recordPlaced(outboxId: number, handoffId: string, callSid: string, at: number): Promise<void> {
    await q(this.db, 'INSERT INTO call_backs (outbox_id, handoff_id, call_sid, placed_at) VALUES (@outboxId, @handoffId, @callSid, @at) ON CONFLICT DO NOTHING', {
      outboxId,
      handoffId,
      callSid,
      at,
    });
  }

  async known(sids: readonly string[]): Promise<Set<string>> {
    if (sids.length === 0) return new Set();
    const { rows } = await q<{ call_sid: string }>(this.db, 'SELECT call_sid FROM call_backs WHERE call_sid = ANY (@sids::text[])', { sids: [...sids] });
    return new Set(rows.map((r) => r.call_sid));
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
    const b = C.expired(now, limit);
    return (await q<{ id: string }>(db, b.text, b.params)).rows.map((r) => r.id);
  }
}
