// One query builder over either engine's existing handle: the store keeps its connection, pool and lifetime.
import type BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Expression,
  type SqlBool,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
} from 'kysely';
import { checkout, lostConnection, type PgDb } from '../postgres/pg-db.ts';
import type { Database } from './database.ts';

export type Engine = 'sqlite' | 'postgres';

/** What a shared repository is given: the typed builder bound to the store's handle, and which engine it is. */
export interface QueryDb {
  readonly engine: Engine;
  readonly db: Kysely<Database>;
}

/** A builder inside a transaction, or the store's own; shared repositories accept either. */
export type Queryable = Kysely<Database> | Transaction<Database>;

/** Prepared statements kept per SQL text; a repository has a few dozen, so this bound is never reached. */
const MAX_CACHED_STATEMENTS = 1000;

/**
 * Kysely over the store's open better-sqlite3 handle. Kysely prepares every statement it runs; the cache
 * below hands back the statement already prepared for the same SQL, as the hand-written repositories keep
 * theirs, and close() is left to the store that opened the file.
 * @example const q = sqliteQueryDb(openSqlite(':memory:')); await q.db.selectFrom('users').selectAll().execute();
 */
export function sqliteQueryDb(handle: BetterSqlite3.Database): QueryDb {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const database: SqliteDatabase = {
    prepare(text: string): SqliteStatement {
      let stmt = cache.get(text);
      if (stmt === undefined) {
        if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
        stmt = handle.prepare(text);
        cache.set(text, stmt);
      }
      return stmt as unknown as SqliteStatement;
    },
    close() {
      // The store closes the handle.
    },
  };
  return { engine: 'sqlite', db: new Kysely<Database>({ dialect: new SqliteDialect({ database }) }) };
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
  return { engine: 'postgres', db: new Kysely<Database>({ dialect }) };
}

/**
 * Runs `fn` in one transaction: committed when it returns, rolled back when it throws. On PostgreSQL a lost
 * connection surfaces as the same STORE error the hand-written repositories give. On SQLite every statement
 * runs synchronously inside better-sqlite3, so the body completes within one turn of the event loop unless
 * it awaits something outside the store.
 * @example await transaction(q, async (tx) => tx.deleteFrom('sessions').execute());
 */
export async function transaction<T>(q: QueryDb, fn: (tx: Transaction<Database>) => Promise<T>): Promise<T> {
  try {
    return await q.db.transaction().execute(fn);
  } catch (err) {
    throw (q.engine === 'postgres' ? lostConnection(err) : null) ?? err;
  }
}

/**
 * `column IN ids` written once for both engines, with the list as ONE parameter whatever its length, so the
 * statement text (and SQLite's prepared statement) is the same for every list: a JSON array read by
 * json_each on SQLite, a text array on PostgreSQL.
 * @example db.selectFrom('papers').select('pk').where(inTextList(q.engine, 'papers.id', ['2503.11677']))
 */
export function inTextList(engine: Engine, column: string, values: readonly string[]): Expression<SqlBool> {
  return engine === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
    : sql<SqlBool>`${sql.ref(column)} = ANY(${values}::text[])`;
}

/** `column IN ids` for integer ids, one parameter like inTextList (a JSON array on SQLite, an int array on PostgreSQL). */
export function inIntList(engine: Engine, column: string, values: readonly number[]): Expression<SqlBool> {
  return engine === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`
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

/** True for a unique-constraint violation on either engine (SQLite's extended code, SQLSTATE 23505). */
export function isUniqueViolation(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err)) return false;
  const code = (err as { code: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}
