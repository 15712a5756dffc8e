// One query builder over either engine's existing handle: the store keeps its connection, pool and lifetime.
import type BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  sql,
  type Compilable,
  type Expression,
  type SqlBool,
  type Transaction,
} from 'kysely';
import { checkout, lostConnection } from '../postgres/pg-connection.ts';
import type { PgDb } from '../postgres/pg-db.ts';
import type { QueryResultRow } from 'pg';
import type { Database } from './database.ts';
import { oneConnection, oneConnectionDialect, type OneConnection } from './sqlite-connection.ts';

export type Engine = 'sqlite' | 'postgres';

/** What a shared repository is given: the typed builder bound to the store's handle, and which engine it is. */
export interface QueryDb {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
  /**
   * A query built and compiled once, when the repository is made, and run with each call's arguments on the
   * engine's own driver (a prepared better-sqlite3 statement, pg's pool.query): no building per call. For the
   * hot reads and writes, where building a Kysely query (15–50 µs) costs more than a SQLite read itself.
   * It runs on the store's handle, or on a transaction's connection when its call is given one.
   */
  prepare<R>(build: (db: Kysely<Database>) => Compilable<R>): Prepared<R>;
  /** Runs `fn` in one transaction on this engine (use `transaction(q, fn)`, whose rules it follows). */
  inTransaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T>;
}

/** Arguments of a prepared query by placeholder name (see `arg`). */
export type Args = Readonly<Record<string, unknown>>;

/**
 * A compiled query, run with fresh arguments. Given a transaction (`tx`), it runs on that transaction's
 * connection instead of the store's handle, still without building anything.
 */
export interface Prepared<R> {
  /** Every row. */
  all(args?: Args, tx?: Transaction<Database>): Promise<R[]>;
  /** The first row, or undefined. */
  first(args?: Args, tx?: Transaction<Database>): Promise<R | undefined>;
  /** Runs a write; resolves to the number of rows it changed. */
  run(args?: Args, tx?: Transaction<Database>): Promise<number>;
  /** Every row as an array of its columns in select order: no object per row, for reads of thousands. */
  tuples(args?: Args): Promise<unknown[][]>;
}

/** A named placeholder inside a query built for `prepare`; `encode` turns the call's value into the bound one. */
class Slot {
  constructor(
    readonly name: string,
    readonly encode: (v: unknown) => unknown = (v) => v,
  ) {}
}

/**
 * A placeholder for the argument `name` of a prepared query, typed as the value it stands for so the builder
 * checks it against its column.
 */
export function arg<T>(name: string): T {
  return new Slot(name) as unknown as T;
}

/** The compiled text and, per parameter, either a constant or the argument slot it is filled from. */
function compileOnce<R>(db: Kysely<Database>, build: (db: Kysely<Database>) => Compilable<R>) {
  const compiled = build(db).compile();
  const template = compiled.parameters;
  const bind = (args: Args): unknown[] =>
    template.map((p) => {
      if (!(p instanceof Slot)) return p;
      if (!(p.name in args)) throw new Error(`prepared query: no argument "${p.name}"`);
      return p.encode(args[p.name]);
    });
  /** The query with this call's arguments, run on a transaction's connection through Kysely's driver. */
  const inTx = (tx: Transaction<Database>, args: Args) =>
    tx.executeQuery<R>({ ...compiled, parameters: bind(args) });
  return { text: compiled.sql, bind, inTx };
}

/** Rows a write changed, from the driver's result of a prepared query run inside a transaction. */
function txChanges(r: { numAffectedRows?: bigint }): number {
  return Number(r.numAffectedRows ?? 0n);
}

/** A builder inside a transaction, or the store's own; shared repositories accept either. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** Prepared statements kept per SQL text; a repository has a few dozen, so this bound is never reached. */
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Kysely over the store's open better-sqlite3 handle. Every statement is prepared once and kept, as the
 * hand-written repositories keep theirs, and close() is left to the store that opened the file. Statements
 * from outside an open transaction wait for its end (`connection`, shared with the store's hand-written
 * repositories); those of its body run at once.
 * @example const q = sqliteQueryDb(openSqlite(':memory:')); await q.db.selectFrom('users').selectAll().execute();
 */
export function sqliteQueryDb(
  handle: BetterSqlite3.Database,
  connection: OneConnection = oneConnection(handle),
): QueryDb {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const cached = (text: string): BetterSqlite3.Statement => {
    let stmt = cache.get(text);
    if (stmt === undefined) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      stmt = handle.prepare(text);
      cache.set(text, stmt);
    }
    return stmt;
  };
  const db = new Kysely<Database>({ dialect: oneConnectionDialect(cached, connection) });
  // The builder a transaction's body is given: the same handle, without waiting for the transaction itself.
  const inside = new Kysely<Database>({
    dialect: oneConnectionDialect(cached, null),
  }) as unknown as Transaction<Database>;
  const { outside, outsideWrite } = connection;
  return {
    engine: 'sqlite',
    db,
    inTransaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
      return connection.transaction(() => fn(inside));
    },
    prepare<R>(build: (db: Kysely<Database>) => Compilable<R>): Prepared<R> {
      const { text, bind } = compileOnce(db, build);
      // Prepared on first use: the repository may be made before a table it reads exists.
      let stmt: BetterSqlite3.Statement<unknown[], R> | undefined;
      let raw: BetterSqlite3.Statement<unknown[], unknown[]> | undefined;
      const statement = () => (stmt ??= handle.prepare<unknown[], R>(text));
      // Given a transaction (`tx`), the statement runs at once: the transaction is BEGIN … COMMIT on this same
      // connection, so the handle is already inside it. Without one it waits for any open transaction's end.
      const now = async <T>(f: () => T): Promise<T> => f();
      const when = <T>(tx: Transaction<Database> | undefined, f: () => T): Promise<T> => {
        if (tx !== undefined) return now(f);
        return statement().readonly ? outside(() => now(f)) : outsideWrite(() => now(f));
      };
      return {
        all: (args = {}, tx) => when(tx, () => statement().all(bind(args))),
        first: (args = {}, tx) => when(tx, () => statement().get(bind(args))),
        run: (args = {}, tx) => when(tx, () => statement().run(bind(args)).changes),
        tuples: (args = {}) =>
          outside(() =>
            now(() => (raw ??= handle.prepare<unknown[], unknown[]>(text).raw(true)).all(bind(args))),
          ),
      };
    },
  };
}

/**
 * Kysely over the store's pg pool. Connections are taken with the pool helper every repository uses (an
 * error listener attached, so a server cutting a checked-out connection fails the query instead of the
 * process), and ending the pool is left to the store.
 * @example const q = postgresQueryDb(createPgPool(url)); await q.db.selectFrom('users').selectAll().execute();
 */
export function postgresQueryDb(pool: PgDb): QueryDb {
  const dialect = new PostgresDialect({
    pool: {
      connect: () => checkout(pool),
      end: async () => undefined,
    },
  });
  const db = new Kysely<Database>({ dialect });
  return {
    engine: 'postgres',
    db,
    async inTransaction<T>(fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
      try {
        return await db.transaction().execute(fn);
      } catch (err) {
        throw lostConnection(err) ?? err;
      }
    },
    prepare<R>(build: (db: Kysely<Database>) => Compilable<R>): Prepared<R> {
      const { text, bind, inTx } = compileOnce(db, build);
      const query = (args: Args) => pool.query<R & QueryResultRow>(text, bind(args));
      return {
        async all(args = {}, tx) {
          return tx ? (await inTx(tx, args)).rows : (await query(args)).rows;
        },
        async first(args = {}, tx) {
          return tx ? (await inTx(tx, args)).rows[0] : (await query(args)).rows[0];
        },
        async run(args = {}, tx) {
          return tx ? txChanges(await inTx(tx, args)) : ((await query(args)).rowCount ?? 0);
        },
        async tuples(args = {}) {
          return (await pool.query<unknown[]>({ text, values: bind(args), rowMode: 'array' })).rows;
        },
      };
    },
  };
}

/**
 * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. On PostgreSQL a lost
 * connection surfaces as the same STORE error the hand-written repositories give. On SQLite the store's other
 * callers wait while the body runs (even while it awaits something outside the store), so every statement
 * of the body must go through `tx` (a prepared call given `tx`): one through the store's own builder would
 * wait for the transaction's end, from inside it.
 */
export function transaction<T>(q: QueryDb, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  return q.inTransaction(fn);
}

/**
 * `column IN ids` written once for both engines, with the list as ONE parameter whatever its length, so the
 * statement text (and SQLite's prepared statement) is the same for every list: a JSON array read by
 * json_each on SQLite, a text array on PostgreSQL.
 * @example db.selectFrom('papers').select('pk').where(inTextList(q.engine, 'papers.id', ['2503.11677']))
 */
export function inTextList(engine: Engine, column: string, values: readonly string[]): Expression<SqlBool> {
  return engine === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${asJson(values)}))`
    : sql<SqlBool>`${sql.ref(column)} = ANY(${values}::text[])`;
}

/** A list as the JSON text SQLite's json_each reads; for a prepared query's `arg`, encoded at each call. */
function asJson(values: readonly unknown[]): unknown {
  const slot = values as unknown;
  return slot instanceof Slot ? new Slot(slot.name, (v) => JSON.stringify(v)) : JSON.stringify(values);
}

/** `column IN ids` for integer ids, one parameter like inTextList (a JSON array on SQLite, an int array on PostgreSQL). */
export function inIntList(engine: Engine, column: string, values: readonly number[]): Expression<SqlBool> {
  return engine === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${asJson(values)}))`
    : sql<SqlBool>`${sql.ref(column)} = ANY(${values}::int[])`;
}

/** Rows a write changed, from Kysely's result of an UPDATE, DELETE or INSERT. */
export function changed(
  r:
    | {
        numAffectedRows?: bigint;
        numUpdatedRows?: bigint;
        numDeletedRows?: bigint;
        numInsertedOrUpdatedRows?: bigint;
      }
    | undefined,
): number {
  return Number(
    r?.numAffectedRows ?? r?.numUpdatedRows ?? r?.numDeletedRows ?? r?.numInsertedOrUpdatedRows ?? 0n,
  );
}

/** True for a unique-key violation on either engine (SQLite's extended codes, SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
