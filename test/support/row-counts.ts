import type { Db } from '../../bot/store/sqlite/db.js';

export interface RowCounts {
  handoffs: number;
  events: number;
  outbox: number;
  idempotency_keys: number;
  notes: number;
}

const TABLES = ['handoffs', 'events', 'outbox', 'idempotency_keys', 'notes'] as const;

/** Row counts of every table an intake request may write: equal before and after means nothing was stored. */
export function rowCounts(db: Db): RowCounts {
  const out = {} as RowCounts;
  for (const t of TABLES) out[t] = (db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return out;
}
