import { WRITE_STATEMENTS, type WriteOp } from '../write-ops.js';
import { named, type Queryable } from './pool.js';

/** SQLite's `?` placeholders in order to `$1, $2, ...`. */
function positional(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

/**
 * Runs one of the shared write statements (`../write-ops.ts`) on PostgreSQL, so both engines insert an
 * accepted handoff, an event or an outbox row from one definition.
 */
export async function runWriteOp(db: Queryable, op: WriteOp): Promise<void> {
  const text = WRITE_STATEMENTS[op.stmt];
  if (Array.isArray(op.params)) await db.query(positional(text), op.params);
  else {
    const { text: sql, values } = named(text, op.params);
    await db.query(sql, values);
  }
}
