// Checking out a pooled client and recognizing a lost connection, apart from pg-db.ts so that the query layer
// both engines share imports no PostgreSQL driver (about 0.1 s of a cold SQLite command).
import type pg from 'pg';
import { AppError } from '../../errors.ts';

/**
 * Takes a client from the pool with an error listener attached: a connection the server cuts while the
 * client is checked out then fails the pending query instead of crashing the process.
 * @example const c = await checkout(db); try { await c.query('SELECT 1'); } finally { c.release(); }
 */
export async function checkout(db: pg.Pool): Promise<pg.PoolClient> {
  const client = await db.connect();
  if (client.listenerCount('error') === 0) client.on('error', () => undefined);
  return client;
}

/**
 * A STORE error for a connection lost mid-statement (server restart, terminated backend, network cut), or
 * null for any other error. PostgreSQL rolls back the open transaction, so nothing of it was written.
 */
export function lostConnection(err: unknown): AppError | null {
  if (err instanceof AppError || !(err instanceof Error)) return null;
  const code = 'code' in err && typeof err.code === 'string' ? err.code : '';
  const cut =
    /^(57P0[123]|08)/.test(code) ||
    /^(ECONNRESET|ECONNREFUSED|EPIPE)$/.test(code) ||
    // The last two are the pg client's own words for a connection that already broke or was closed.
    /Connection terminated|connection timeout|terminating connection|connection error and is not queryable|was closed and is not queryable/i.test(
      err.message,
    );
  if (!cut) return null;
  return new AppError(
    'STORE',
    `The connection to PostgreSQL was lost (${err.message}); the transaction in progress was rolled back, nothing of it was written. Run the command again once the database is back.`,
    [],
    { cause: err },
  );
}
