import type pg from 'pg';
import type { CommitNotice, CommitNotifier } from '../notifier.js';
import { COMMITS_CHANNEL, noticePayload } from './commit-bridge.js';
import { inTransaction } from './pool.js';

export type Announce = (notice: Partial<CommitNotice>) => void;
/** Runs `fn` in one transaction; what it announces is NOTIFYed with the commit and published here after it. */
export type Transact = <T>(fn: (client: pg.PoolClient, announce: Announce) => Promise<T>) => Promise<T>;

function merge(a: Partial<CommitNotice>, b: Partial<CommitNotice>): Partial<CommitNotice> {
  const keys = [...(a.outbox?.paceKeys ?? []), ...(b.outbox?.paceKeys ?? [])];
  return {
    handoffIds: [...new Set([...(a.handoffIds ?? []), ...(b.handoffIds ?? [])])],
    events: Boolean(a.events || b.events),
    outbox: a.outbox || b.outbox ? { paceKeys: [...new Set(keys)] } : null,
    dueAt: [...(a.dueAt ?? []), ...(b.dueAt ?? [])],
    dueChanged: Boolean(a.dueChanged || b.dueChanged),
  };
}

/**
 * The one way PostgresStore commits: the NOTIFY is part of the transaction, so other processes hear a
 * commit exactly when (and only if) it happened, and in commit order; this process hears it directly.
 */
export function transactor(pool: pg.Pool, notifier: CommitNotifier, origin: string): Transact {
  return async (fn) => {
    const heard: { notice: Partial<CommitNotice> | null } = { notice: null };
    const announce: Announce = (n) => (heard.notice = heard.notice ? merge(heard.notice, n) : n);
    const out = await inTransaction(pool, async (client) => {
      heard.notice = null; // nothing from a failed attempt carries over
      const result = await fn(client, announce);
      if (heard.notice) await client.query('SELECT pg_notify($1, $2)', [COMMITS_CHANNEL, noticePayload(origin, heard.notice)]);
      return result;
    });
    if (heard.notice) notifier.publish(heard.notice);
    return out;
  };
}
