import type Database from 'better-sqlite3';
import { SQLITE, type Bound } from '../sql/dialect.js';

/**
 * Prepares each SQL text once per connection (preparing is the costly part of a small statement), as
 * SQLite takes it (the shared statements' PostgreSQL casts dropped).
 */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(SQLITE.text(sql));
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/** Runs shared statements (`../sql/`) on one connection, each prepared once. */
export class BoundRunner {
  private readonly sql;

  constructor(db: Database.Database) {
    this.sql = statementCache(db);
  }

  get<R>(b: Bound): R | undefined {
    return this.sql(b.text).get(b.params) as R | undefined;
  }

  all<R>(b: Bound): R[] {
    return this.sql(b.text).all(b.params) as R[];
  }

  /** How many rows changed, and the rowid of the last insert. */
  run(b: Bound): { changes: number; lastInsertRowid: number } {
    const info = this.sql(b.text).run(b.params);
    return { changes: info.changes, lastInsertRowid: Number(info.lastInsertRowid) };
  }
}
