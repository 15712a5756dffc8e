// Use cases on whole databases: schema status and migration, and copying an instance between engines.
import { AppError } from '../errors.ts';
import {
  copyDatabase,
  migrateDatabase,
  openTables,
  parseDatabaseUrl,
  type CopyProgress,
  type CopyReport,
  type SchemaStatus,
} from '../store/db.ts';

export type { CopyProgress, CopyReport, SchemaStatus };

/**
 * Reports (and with `apply`, applies) the schema migrations of a database.
 * @example const s = await migrate('postgres://paperboy@db/paperboy', { apply: true });
 */
export function migrate(databaseUrl: string, opts: { apply: boolean }): Promise<SchemaStatus> {
  return migrateDatabase(databaseUrl, opts);
}

/**
 * Copies a whole Paperboy database into a new, empty one (SQLite or PostgreSQL, either way), verified
 * by row counts and checksums. Nothing is written to the target when it fails or is interrupted.
 * @example const r = await copy('./data/paperboy.db', 'postgres://paperboy@db/paperboy', {});
 */
export async function copy(
  fromUrl: string,
  toUrl: string,
  opts: { onProgress?: (p: CopyProgress) => void; signal?: AbortSignal },
): Promise<CopyReport> {
  const [a, b] = [parseDatabaseUrl(fromUrl), parseDatabaseUrl(toUrl)];
  if (a.engine === b.engine && a.location === b.location)
    throw new AppError('USAGE', 'copy: --from and --to name the same database');
  const from = await openTables(fromUrl);
  try {
    const to = await openTables(toUrl);
    try {
      return await copyDatabase(from, to, opts);
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
