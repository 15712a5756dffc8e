// Chooses and opens the storage engine named by DATABASE_URL.
import { resolve } from 'node:path';
import { redactUrl } from '../config.ts';
import { AppError } from '../errors.ts';
import type { TableAccess } from './copy/table-access.ts';
import type { SchemaStatus } from './schema-admin.ts';
import type { Store } from './store.ts';

// The PostgreSQL engine (pg and its repositories) and the table-level access for copies are imported when used:
// a SQLite command, a cold CLI search above all, never loads them (docs/BENCHMARKS.md, cold `paperboy search`).

export interface OpenStoreOptions {
  /** Injected clock for timestamps; defaults to the system clock. */
  now?: () => Date;
  /** SQLite: the connection's page cache in bytes (default 16 MiB); ignored by PostgreSQL. */
  pageCacheBytes?: number;
  /** Leave indexes a killed bulk import dropped for this process (`ingest`) to take over. */
  bulkImport?: boolean;
}

/** Which engine a DATABASE_URL selects: a SQLite file path (or ":memory:"), or a PostgreSQL URL. */
export type DatabaseLocation =
  | { engine: 'sqlite'; location: string }
  | { engine: 'postgres'; location: string };

/**
 * Resolves DATABASE_URL to an engine and location: a plain path or `sqlite:` URL selects SQLite.
 * @example parseDatabaseUrl('sqlite:./data/paperboy.db') // { engine: 'sqlite', location: '/abs/data/paperboy.db' }
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const u = url.trim();
  if (/^postgres(ql)?:\/\//i.test(u)) {
    try {
      const parsed = new URL(u);
      if (parsed.hostname === '' && !parsed.searchParams.has('host')) throw new Error('no host');
    } catch {
      throw new AppError(
        'CONFIG_INVALID',
        'DATABASE_URL: not a valid PostgreSQL URL; expected postgres://user:password@host:5432/database',
      );
    }
    return { engine: 'postgres', location: u };
  }
  if (u === ':memory:' || u === 'sqlite::memory:') return { engine: 'sqlite', location: ':memory:' };
  if (/^sqlite:/i.test(u)) {
    const rest = u.replace(/^sqlite:(\/\/)?/i, '');
    if (rest === '') throw new AppError('CONFIG_INVALID', 'DATABASE_URL: sqlite: URL has no path');
    return { engine: 'sqlite', location: resolve(rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) {
    throw new AppError(
      'CONFIG_INVALID',
      `DATABASE_URL: unsupported scheme in "${redactUrl(u)}"; use a file path, a sqlite: URL or a postgres:// URL`,
    );
  }
  return { engine: 'sqlite', location: resolve(u) };
}

/**
 * Opens the store, running migrations. The engines' modules (with the query builder, about 0.2 s of CPU to
 * load) are imported here, when a store is first opened, so commands that never open one start without them.
 */
export async function openStore(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<Store> {
  const db = parseDatabaseUrl(databaseUrl);
  const now = opts.now ?? (() => new Date());
  if (db.engine === 'postgres')
    return (await import('./postgres/pg-store.ts')).createPostgresStore(db.location, now, {
      keepDeferredIndexes: opts.bulkImport,
    });
  // The SQLite engine is imported here too: its repositories load Kysely, which a command that opens no store
  // (`--help`, `--version`) should not pay for.
  const { createSqliteStore } = await import('./sqlite/sqlite-store.ts');
  return createSqliteStore(db.location, now, {
    pageCacheBytes: opts.pageCacheBytes,
    keepDeferredIndexes: opts.bulkImport,
  });
}

/**
 * Opens a database for table-level work (copy, verify), migrating its schema first.
 * @example const tables = await openTables('postgres://paperboy@db/paperboy');
 */
export async function openTables(databaseUrl: string, opts: OpenStoreOptions = {}): Promise<TableAccess> {
  const db = parseDatabaseUrl(databaseUrl);
  if (db.engine === 'postgres')
    return (await import('./postgres/table-access.ts')).openPostgresTables(
      db.location,
      opts.now ?? (() => new Date()),
    );
  if (db.location === ':memory:') throw new AppError('USAGE', 'cannot copy to or from an in-memory database');
  return (await import('./sqlite/table-access.ts')).openSqliteTables(db.location);
}

export { copyDatabase, type CopyProgress, type CopyReport } from './copy/copy-database.ts';

/**
 * The schema version of the database at `databaseUrl` and, with `apply`, pending migrations applied.
 * @example await migrateDatabase('./data/paperboy.db', { apply: false }) // { before: 6, latest: 6, ... }
 */
export async function migrateDatabase(
  databaseUrl: string,
  opts: { apply: boolean; now?: () => Date },
): Promise<SchemaStatus> {
  return (await import('./schema-admin.ts')).schemaStatus(parseDatabaseUrl(databaseUrl), opts);
}

export type { SchemaStatus } from './schema-admin.ts';
