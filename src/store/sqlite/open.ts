// Opens a SQLite database file in WAL mode and brings its schema up to date.
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../errors.ts';
import { SQLITE_MIGRATIONS } from '../migrations/sqlite.ts';
import { restoreAbandonedIndexes } from './deferred-indexes.ts';
import { BUSY_TIMEOUT_MS } from './write-lock.ts';

export type SqliteDb = Database.Database;

/** The connection's own checkpoint threshold (40 MB of 4 KiB pages): few, large checkpoints suit ingest. */
export const WAL_AUTOCHECKPOINT_PAGES = 10_000;

/** A connection's page cache unless asked otherwise: keeps serving processes small. */
export const DEFAULT_PAGE_CACHE_BYTES = 16 * 1024 * 1024;

export interface SqliteOpenOptions {
  /** The connection's page cache in bytes (default 16 MiB). */
  pageCacheBytes?: number;
  /**
   * Leave indexes a killed bulk import dropped for this process to take over (`ingest`, which resumes the
   * import); any other open builds them first.
   */
  keepDeferredIndexes?: boolean;
}

/**
 * Opens (creating if needed) the database at `path` and applies pending migrations in one
 * transaction each. A database written by a newer Paperboy is refused rather than damaged.
 */
export function openSqlite(path: string, opts: SqliteOpenOptions = {}): SqliteDb {
  let db: SqliteDb;
  try {
    if (path !== ':memory:') createPrivately(path);
    db = new Database(path);
  } catch (err) {
    throw new AppError('STORE', `Cannot open SQLite database ${path}: ${(err as Error).message}`, [], {
      cause: err,
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 16 MiB by default (in KiB when negative); `ingest` asks for more (docs/BENCHMARKS.md, "#23 ingest and train
  // at scale"): its random-order indexes (title keys, author links) are read and written on every record.
  db.pragma(`cache_size = ${-Math.ceil((opts.pageCacheBytes ?? DEFAULT_PAGE_CACHE_BYTES) / 1024)}`);
  db.pragma('temp_store = MEMORY');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  // Before the migrations, which were written against a schema with every index.
  if (opts.keepDeferredIndexes !== true) restoreAbandonedIndexes(db);
  migrate(db, path);
  return db;
}

/**
 * Creates a missing database file as 0600 (owner only) before SQLite opens it: SQLite gives the -wal and
 * -shm files it makes the main file's mode, so the whole database stays as private as the secret file.
 * An existing file keeps the mode its owner gave it.
 */
function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** The schema version the database is at. */
export function schemaVersion(db: SqliteDb): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: SqliteDb, path: string): void {
  const current = schemaVersion(db);
  const latest = SQLITE_MIGRATIONS[SQLITE_MIGRATIONS.length - 1]?.version ?? 0;
  if (current > latest) {
    db.close();
    throw new AppError(
      'SCHEMA_TOO_NEW',
      `${path} has schema version ${current} but this Paperboy knows only up to ${latest}; upgrade Paperboy before using this database.`,
    );
  }
  for (const m of SQLITE_MIGRATIONS) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
