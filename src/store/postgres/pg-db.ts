// The PostgreSQL connection pool, transactions and the small query helpers every repository shares.
import pg from 'pg';
import { AppError } from '../../errors.ts';
import { checkout, lostConnection } from './pg-connection.ts';

export { checkout, lostConnection };

export type PgDb = pg.Pool;
export type PgClient = pg.PoolClient;
/** Either the pool (one statement, auto-commit) or a client inside a transaction. */
export type PgQueryable = pg.Pool | pg.PoolClient;

/** Advisory lock keys: writers of the same log take one, so sequence numbers commit in order. */
export const LOCKS = { migrate: 7_201_501, papers: 7_201_502, vectors: 7_201_503 } as const;

const INT8 = 20;
// Identity keys, counts and millisecond times fit a double; SQLite hands them out as numbers, so do we.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 && format !== 'binary') return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/**
 * Creates a pool on `url`; nothing connects until the first query.
 * @example const db = createPgPool('postgres://paperboy@db/paperboy', 10);
 */
export function createPgPool(url: string, max = 10): PgDb {
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: 10_000 });
  // An idle client losing its server (a restart) must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return pool;
}

/** Where a URL points, without its password, for error messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port === '' ? '5432' : u.port}${u.pathname}`;
  } catch {
    return 'the DATABASE_URL';
  }
}

/**
 * Runs `fn` in one transaction on one pooled client: committed when it returns, rolled back when it throws.
 * A client whose connection broke is discarded, not returned to the pool.
 */
export async function withTransaction<T>(db: PgDb, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const client = await checkout(db);
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr as Error;
    }
    throw lostConnection(err) ?? err;
  } finally {
    client.release(broken);
  }
}

/** Takes a transaction-scoped advisory lock (released at commit or rollback). */
export async function lockXact(c: PgClient, key: number): Promise<void> {
  await c.query('SELECT pg_advisory_xact_lock($1)', [key]);
}

/**
 * The rows of a parameterized query.
 */
export async function queryRows<R extends pg.QueryResultRow>(
  db: PgQueryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R[]> {
  return (await db.query<R>(sql, params as unknown[])).rows;
}

/** The first row of a query, or undefined. */
export async function queryOne<R extends pg.QueryResultRow>(
  db: PgQueryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<R | undefined> {
  return (await queryRows<R>(db, sql, params))[0];
}

/** How many rows a statement changed. */
export async function execCount(
  db: PgQueryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<number> {
  return (await db.query(sql, params as unknown[])).rowCount ?? 0;
}

/** A `SELECT count(*) AS n` result as a number. */
export async function queryCount(
  db: PgQueryable,
  sql: string,
  params: readonly unknown[] = [],
): Promise<number> {
  return (await queryOne<{ n: number }>(db, sql, params))?.n ?? 0;
}

/** Wraps a connection failure in a STORE error that says where it tried to connect. */
export function connectError(url: string, err: unknown): AppError {
  const msg = err instanceof Error ? err.message || err.name : String(err);
  return new AppError(
    'STORE',
    `Cannot connect to PostgreSQL at ${describeUrl(url)}: ${msg}. Check DATABASE_URL and that the server is running.`,
    [],
    { cause: err },
  );
}
