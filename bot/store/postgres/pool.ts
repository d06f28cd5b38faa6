import pg from 'pg';
import type { Bound } from '../sql/dialect.js';

/** A pool or one of its clients (inside a transaction): repositories take either. */
export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const INT8 = 20;
const NUMERIC = 1700;

/**
 * BIGINT and NUMERIC (sums, counts) come back as JS numbers, as SQLite's integers do: times are epoch
 * milliseconds and ids and counts stay far below 2^53.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Advisory-lock namespaces (the first key of the two-key form): "hand" and one past it. */
export const LOCK_NAMESPACE = 0x68616e64;
export const LIVENESS_NAMESPACE = LOCK_NAMESPACE + 1;
/** Second keys within LOCK_NAMESPACE. */
export const LOCKS = { migrate: 1, eventOrder: 2 } as const;

export interface PoolOptions {
  url: string;
  max?: number;
  /** Called when an idle pooled connection fails (the server restarted): the pool drops it and carries on. */
  onIdleError?: (err: Error) => void;
}

export function createPool(o: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: o.url,
    types,
    max: o.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    // A request waiting on a server that went away must fail (503), not hang the caller.
    query_timeout: 30_000,
  });
  // Without a listener an idle client's error (server restart) would crash the process.
  pool.on('error', (err) => o.onIdleError?.(err));
  return pool;
}

export function clientConfig(url: string): pg.ClientConfig {
  return { connectionString: url, types, connectionTimeoutMillis: 10_000 };
}

/**
 * Runs `fn` in one transaction on one pooled connection: COMMIT when it returns, ROLLBACK when it
 * throws. A connection that failed mid-way is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>, begin = 'BEGIN'): Promise<T> {
  const client = await checkOut(pool);
  let broken: Error | undefined;
  try {
    await client.query(begin);
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw err;
  } finally {
    client.release(broken ?? lostError(client));
  }
}

const guarded = new WeakSet<pg.PoolClient>();
const lost = new WeakMap<pg.PoolClient, Error>();

/**
 * A pooled connection for several statements. The pool only listens for errors on idle connections:
 * one lost between two statements of ours would otherwise throw an unhandled 'error' and end the
 * process. The error is kept (lostError) so the connection is discarded on release; the next
 * statement on it fails and the caller answers 503.
 */
export async function checkOut(pool: pg.Pool): Promise<pg.PoolClient> {
  const client = await pool.connect();
  if (!guarded.has(client)) {
    guarded.add(client);
    client.on('error', (err: Error) => lost.set(client, err));
  }
  return client;
}

export function lostError(client: pg.PoolClient): Error | undefined {
  return lost.get(client);
}

/**
 * `@name` placeholders to PostgreSQL's `$n`, so the SQL reads like the SQLite repositories' and each
 * value is still sent as a bound parameter. Every `@name` must be in `params`.
 */
export function named(text: string, params: Record<string, unknown>): { text: string; values: unknown[] } {
  const order: string[] = [];
  const out = text.replace(/@([a-zA-Z_]\w*)/g, (_, name: string) => {
    if (!(name in params)) throw new Error(`named(): no value for @${name}`);
    let i = order.indexOf(name);
    if (i < 0) i = order.push(name) - 1;
    return `$${i + 1}`;
  });
  return { text: out, values: order.map((n) => params[n]) };
}

/** Runs `text` with `@name` parameters; returns the rows. */
export async function q<R extends pg.QueryResultRow>(db: Queryable, text: string, params: Record<string, unknown> = {}): Promise<pg.QueryResult<R>> {
  const { text: sql, values } = named(text, params);
  return db.query<R>(sql, values);
}

/** Runs a shared statement (`../sql/`); returns how many rows it changed. */
export async function run(db: Queryable, b: Bound): Promise<number> {
  return (await q(db, b.text, b.params)).rowCount ?? 0;
}

/** Runs a shared statement (`../sql/`); returns its rows. */
export async function rowsOf<R extends pg.QueryResultRow>(db: Queryable, b: Bound): Promise<R[]> {
  return (await q<R>(db, b.text, b.params)).rows;
}

/** Host, port and database of a URL, for messages: never its user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}
