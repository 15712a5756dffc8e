// Table-level access to a PostgreSQL database, for copying, verifying and restoring.
import type { RowValues, TableAccess } from '../copy/table-access.ts';
import { migratePostgres, pgSchemaVersion } from './migrate.ts';
import { checkout, connectError, createPgPool, describeUrl, queryRows, type PgClient } from './pg-db.ts';

const NAME = /^\w+$/;
/** PostgreSQL takes at most 65,535 parameters in one statement. */
const MAX_PARAMS = 60_000;

/** Refused, unreachable, unknown host, bad password, no such database, or a connection cut. */
function isConnectionFailure(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err) || typeof err.code !== 'string') return false;
  return /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT|EHOSTUNREACH)/.test(err.code) || /^(08|28|3D)/.test(err.code);
}

function ident(name: string): string {
  if (!NAME.test(name)) throw new Error(`not a table or column name: ${name}`);
  return `"${name}"`;
}

/**
 * Connects to `url` (migrating the schema) for table-level reads and writes.
 * @example const t = await openPostgresTables('postgres://paperboy@db/paperboy', () => new Date());
 */
export async function openPostgresTables(url: string, now: () => Date): Promise<TableAccess> {
  const db = createPgPool(url, 2);
  try {
    await migratePostgres(db, url, now);
  } catch (err) {
    await db.end();
    throw isConnectionFailure(err) ? connectError(url, err) : err;
  }
  let tx: PgClient | null = null;
  let reader: PgClient | null = null;
  let cursors = 0;
  const writer = (): PgClient => {
    if (tx === null) throw new Error('insert outside a copy transaction');
    return tx;
  };
  return {
    engine: 'postgres',
    where: describeUrl(url),
    schemaVersion: () => pgSchemaVersion(db),
    async columns(table) {
      const rows = await queryRows<{ column_name: string }>(
        db,
        `SELECT column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
        [table],
      );
      return rows.map((r) => r.column_name);
    },
    async count(table) {
      const sql = `SELECT count(*)::bigint AS n FROM ${ident(table)}`;
      return (await queryRows<{ n: number }>(reader ?? db, sql))[0]?.n ?? 0;
    },
    async beginRead() {
      reader = await checkout(db);
      await reader.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    },
    async endRead() {
      if (reader === null) return;
      await reader.query('COMMIT').catch(() => undefined);
      reader.release();
      reader = null;
    },
    async *rows(table, columns, size) {
      // A server-side cursor keeps memory flat on big tables; inside the read snapshot when there is one.
      const own = reader === null;
      const client = reader ?? (await checkout(db));
      const cursor = `copy_${++cursors}`;
      try {
        if (own) await client.query('BEGIN READ ONLY');
        await client.query(
          `DECLARE ${cursor} NO SCROLL CURSOR FOR SELECT ${columns.map(ident).join(', ')} FROM ${ident(table)}`,
        );
        for (;;) {
          const res = await client.query({ text: `FETCH ${size} FROM ${cursor}`, rowMode: 'array' });
          if (res.rows.length === 0) break;
          yield res.rows as RowValues[];
        }
        await client.query(own ? 'COMMIT' : `CLOSE ${cursor}`);
      } catch (err) {
        if (own) await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        if (own) client.release();
      }
    },
    async begin() {
      tx = await checkout(db);
      await tx.query('BEGIN');
    },
    async insert(table, columns, rows) {
      const c = writer();
      const per = Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / columns.length)));
      for (let i = 0; i < rows.length; i += per) {
        const chunk = rows.slice(i, i + per);
        const values = chunk.map(
          (_, r) => `(${columns.map((__, k) => `$${r * columns.length + k + 1}`).join(', ')})`,
        );
        await c.query(
          `INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${values.join(', ')}`,
          chunk.flat(),
        );
      }
    },
    async commit(tables) {
      const c = writer();
      const identities = await queryRows<{ table_name: string; column_name: string }>(
        c,
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES' AND table_name = ANY($1)`,
        [tables],
      );
      for (const { table_name: t, column_name: col } of identities) {
        await c.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${ident(col)}) FROM ${ident(t)}), 0) + 1, false)`,
          [t, col],
        );
      }
      await c.query('COMMIT');
      c.release();
      tx = null;
    },
    async rollback() {
      if (tx === null) return;
      await tx.query('ROLLBACK').catch(() => undefined);
      tx.release();
      tx = null;
    },
    async close() {
      reader?.release();
      tx?.release();
      await db.end();
    },
  };
}
