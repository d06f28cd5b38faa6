/**
 * Where SQLite and PostgreSQL truly differ, for the statements both engines run from one text
 * (`bot/store/sql/`). Everything else is written once: `@name` parameters (better-sqlite3 binds them
 * as they are, node-postgres after `named()`), `ON CONFLICT` upserts, `RETURNING`, `IS DISTINCT FROM`,
 * `<>`, and casts written PostgreSQL's way (`@now::bigint`: it types a bare parameter by them), which
 * SQLite's text drops (its types are dynamic).
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** The text this engine runs. */
  text(sql: string): string;
  /** `<expr> IN` the list bound to `param` (see `list`). */
  inList(param: string): string;
  /** `<expr> NOT IN` the list bound to `param`. */
  notInList(param: string): string;
  /** How a list of texts is bound: SQLite reads a JSON array with json_each, PostgreSQL takes an array. */
  list(values: readonly string[]): string | string[];
  /** How a flag is bound: SQLite has no booleans (1 or 0). */
  bool(value: boolean): number | boolean;
  /** The larger of two values (SQLite's scalar MAX, PostgreSQL's GREATEST). */
  greatest(a: string, b: string): string;
  /** Whether the JSON array text in `column` holds the string `value` (a constant of ours, never input). */
  jsonArrayHas(column: string, value: string): string;
  /** Locks the rows read for the rest of the transaction (SQLite's write transaction already excludes every other writer). */
  readonly forUpdate: string;
  /** A planner hint where SQLite needs one (PostgreSQL has none). */
  indexedBy(index: string): string;
}

/** A statement and its parameters, ready for either engine. */
export interface Bound {
  text: string;
  params: Record<string, string | number | boolean | null | readonly string[]>;
}

const CAST = /::[a-z_][a-z0-9_]*(?:\[\])?/gi;

export const SQLITE: Dialect = {
  name: 'sqlite',
  text: (sql) => sql.replace(CAST, ''),
  inList: (param) => `IN (SELECT value FROM json_each(${param}))`,
  notInList: (param) => `NOT IN (SELECT value FROM json_each(${param}))`,
  list: (values) => JSON.stringify(values),
  bool: (value) => (value ? 1 : 0),
  greatest: (a, b) => `MAX(${a}, ${b})`,
  jsonArrayHas: (column, value) => `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value = '${value}')`,
  forUpdate: '',
  indexedBy: (index) => ` INDEXED BY ${index}`,
};

export const POSTGRES: Dialect = {
  name: 'postgres',
  text: (sql) => sql,
  inList: (param) => `= ANY (${param}::text[])`,
  notInList: (param) => `<> ALL (${param}::text[])`,
  list: (values) => [...values],
  bool: (value) => value,
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  jsonArrayHas: (column, value) => `${column}::jsonb @> '${JSON.stringify([value])}'::jsonb`,
  forUpdate: ' FOR UPDATE',
  indexedBy: () => '',
};
