// Brings a PostgreSQL database's schema up to date, one locked transaction per migration.
import { AppError } from '../../errors.ts';
import { POSTGRES_MIGRATIONS } from '../migrations/postgres.ts';
import type { Migration } from '../migrations/sqlite.ts';
import {
  describeUrl,
  LOCKS,
  lockXact,
  queryOne,
  withTransaction,
  type PgDb,
  type PgQueryable,
} from './pg-db.ts';

const VERSION_TABLE = `CREATE TABLE IF NOT EXISTS schema_version (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  version integer NOT NULL,
  migrated_at text NOT NULL
)`;

/**
 * The schema version the database is at (0 for an empty database).
 * @example await pgSchemaVersion(db) // 5
 */
export async function pgSchemaVersion(db: PgQueryable): Promise<number> {
  const exists = await queryOne<{ t: string | null }>(db, "SELECT to_regclass('schema_version')::text AS t");
  if (exists?.t == null) return 0;
  return (await queryOne<{ version: number }>(db, 'SELECT version FROM schema_version'))?.version ?? 0;
}

/**
 * Applies pending migrations, each in its own transaction under an advisory lock, so nodes starting together
 * apply each one exactly once. A database written by a newer Paperboy is refused rather than damaged.
 * Returns the versions it applied.
 * @example await migratePostgres(db, url, () => new Date()) // [1, 2, 3, 4, 5] on an empty database
 */
export async function migratePostgres(
  db: PgDb,
  url: string,
  now: () => Date,
  migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  const latest = migrations.at(-1)?.version ?? 0;
  const applied: number[] = [];
  for (;;) {
    const done = await withTransaction(db, async (c) => {
      await lockXact(c, LOCKS.migrate);
      await c.query(VERSION_TABLE);
      const current = await pgSchemaVersion(c);
      if (current > latest) {
        throw new AppError(
          'SCHEMA_TOO_NEW',
          `PostgreSQL database ${describeUrl(url)} has schema version ${current} but this Paperboy knows only up to ${latest}; upgrade Paperboy before using this database.`,
        );
      }
      const next = migrations.find((m) => m.version > current);
      if (!next) return true;
      await c.query(next.sql);
      await c.query(
        `INSERT INTO schema_version (one, version, migrated_at) VALUES (true, $1, $2)
         ON CONFLICT (one) DO UPDATE SET version = excluded.version, migrated_at = excluded.migrated_at`,
        [next.version, now().toISOString()],
      );
      applied.push(next.version);
      return false;
    });
    if (done) return applied;
  }
}
