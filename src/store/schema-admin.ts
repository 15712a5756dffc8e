// Schema status and explicit migration for `paperboy migrate`, for either engine.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { POSTGRES_MIGRATIONS } from './migrations/postgres.ts';
import { SQLITE_MIGRATIONS } from './migrations/sqlite.ts';
import { migratePostgres, pgSchemaVersion } from './postgres/migrate.ts';
import { connectError, createPgPool, describeUrl } from './postgres/pg-db.ts';
import { openSqlite, schemaVersion } from './sqlite/open.ts';
import type { DatabaseLocation } from './db.ts';

export interface SchemaStatus {
  engine: 'sqlite' | 'postgres';
  where: string;
  /** The version before this call (0: empty or new). */
  before: number;
  /** The version after this call (equals `before` with `apply: false`). */
  after: number;
  /** The newest version this Paperboy knows. */
  latest: number;
  /** Names of the migrations still to apply after this call. */
  pending: string[];
}

function pendingAfter(version: number, engine: 'sqlite' | 'postgres'): string[] {
  const list = engine === 'sqlite' ? SQLITE_MIGRATIONS : POSTGRES_MIGRATIONS;
  return list.filter((m) => m.version > version).map((m) => `${m.version}: ${m.name}`);
}

async function sqliteStatus(path: string, apply: boolean): Promise<SchemaStatus> {
  let before = 0;
  if (path !== ':memory:' && existsSync(path)) {
    const ro = new Database(path, { readonly: true });
    try {
      before = Number(ro.pragma('user_version', { simple: true }));
    } finally {
      ro.close();
    }
  }
  let after = before;
  if (apply) {
    const db = openSqlite(path);
    after = schemaVersion(db);
    db.close();
  }
  const latest = SQLITE_MIGRATIONS.at(-1)?.version ?? 0;
  return { engine: 'sqlite', where: path, before, after, latest, pending: pendingAfter(after, 'sqlite') };
}

async function postgresStatus(url: string, apply: boolean, now: () => Date): Promise<SchemaStatus> {
  const pool = createPgPool(url, 1);
  try {
    let before: number;
    try {
      before = await pgSchemaVersion(pool);
    } catch (err) {
      throw connectError(url, err);
    }
    if (apply) await migratePostgres(pool, url, now);
    const after = apply ? await pgSchemaVersion(pool) : before;
    const latest = POSTGRES_MIGRATIONS.at(-1)?.version ?? 0;
    return {
      engine: 'postgres',
      where: describeUrl(url),
      before,
      after,
      latest,
      pending: pendingAfter(after, 'postgres'),
    };
  } finally {
    await pool.end();
  }
}

/**
 * Reports the schema version of a database and, with `apply`, brings it up to date. A database newer than
 * this Paperboy is refused (SCHEMA_TOO_NEW) when applying.
 */
export async function schemaStatus(
  db: DatabaseLocation,
  opts: { apply: boolean; now?: () => Date },
): Promise<SchemaStatus> {
  if (db.engine === 'postgres')
    return postgresStatus(db.location, opts.apply, opts.now ?? (() => new Date()));
  return sqliteStatus(db.location, opts.apply);
}
