// The SQLite engine: one database file holding every repository.
import type { BackgroundCheckpoints, Store, StoreStats } from '../store.ts';
import { sqliteDigestClaim } from './digest-claim.ts';
import { sqliteListingVersion } from './listing-version.ts';
import { openSqlite, schemaVersion, WAL_AUTOCHECKPOINT_PAGES, type SqliteOpenOptions } from './open.ts';
import { createSqlitePaperRepo } from './papers.repo.ts';
import { createSqliteVectorRepo } from './vectors.repo.ts';
import { sqliteQueryDb } from '../kysely/query-db.ts';
import { heldOutside, oneConnection } from '../kysely/sqlite-connection.ts';
import { storeRepos } from '../shared/store-repos.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/**
 * Opens a SQLite-backed store at `location` (a file path or ":memory:").
 */
export function createSqliteStore(location: string, now: () => Date, opts: SqliteOpenOptions = {}): Store {
  const db = openSqlite(location, opts);
  const statsQuery = db.prepare<[], Omit<StoreStats, 'schemaVersion' | 'engine' | 'location'>>(
    `SELECT (SELECT count(*) FROM papers) AS papers,
            (SELECT count(*) FROM authors) AS authors,
            (SELECT count(DISTINCT category) FROM paper_categories) AS categories,
            (SELECT max(sort_date) FROM papers) AS newestDate,
            (SELECT min(sort_date) FROM papers) AS oldestDate,
            (SELECT count(*) FROM ingest_runs) AS ingestRuns`,
  );
  let checkpoints: BackgroundCheckpoints | null = null;
  // Every repository's statements wait while another caller's transaction is open on this one connection.
  const connection = oneConnection(db);
  const held = <A extends unknown[], T>(f: (...args: A) => Promise<T>) => {
    return (...args: A): Promise<T> => connection.outside(() => f(...args));
  };
  return {
    // The ordinary repositories' queries, written once for both engines (src/store/shared/).
    ...storeRepos(sqliteQueryDb(db, connection), now, {
      papers: heldOutside(connection, createSqlitePaperRepo(db, now, connection.outside)),
      vectors: heldOutside(connection, createSqliteVectorRepo(db, connection.outside)),
      listingVersion: held(sqliteListingVersion(db)),
      digestClaim: held(sqliteDigestClaim(db, now, connection.outside)),
    }),
    stats: held(async () => {
      const s = statsQuery.get();
      if (!s) throw new Error('stats query returned nothing');
      return { ...s, schemaVersion: schemaVersion(db), engine: 'sqlite' as const, location };
    }),
    checkpointInBackground(opts) {
      if (location === ':memory:') return null;
      checkpoints ??= startWalCheckpointer(db, location, WAL_AUTOCHECKPOINT_PAGES, opts);
      return checkpoints;
    },
    async close() {
      await checkpoints?.stop();
      if (db.open) db.close();
    },
  };
}
