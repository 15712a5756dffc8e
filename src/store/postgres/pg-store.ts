// The PostgreSQL engine: every repository over one connection pool, the schema migrated on open.
import type { Store, StoreStats } from '../store.ts';
import { pgDigestClaim } from './digest-claim.ts';
import { pgDigestEnqueue } from './digest-enqueue.ts';
import { pgListingVersion } from './listing-version.ts';
import { migratePostgres, pgSchemaVersion } from './migrate.ts';
import { createPgPaperRepo } from './papers.repo.ts';
import { restoreAbandoned } from './deferred-indexes.ts';
import { connectError, createPgPool, describeUrl, queryOne } from './pg-db.ts';
import { createPgVectorRepo } from './vectors.repo.ts';
import { postgresQueryDb } from '../kysely/query-db.ts';
import { storeRepos } from '../shared/store-repos.ts';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** Leave an abandoned bulk import's indexes and keys missing at open: this process is about to take it over. */
  keepDeferredIndexes?: boolean;
}

/**
 * Connects to PostgreSQL at `url`, applies pending migrations and returns the store. A server that cannot
 * be reached fails with a STORE error naming host, port and database (never the password).
 * @example const store = await createPostgresStore('postgres://paperboy@127.0.0.1/paperboy', () => new Date());
 */
export async function createPostgresStore(
  url: string,
  now: () => Date,
  opts: PostgresStoreOptions = {},
): Promise<Store> {
  const db = createPgPool(url, opts.poolSize ?? 10);
  try {
    await db.query('SELECT 1');
  } catch (err) {
    await db.end();
    throw connectError(url, err);
  }
  try {
    await migratePostgres(db, url, now);
  } catch (err) {
    await db.end();
    throw err;
  }
  if (opts.keepDeferredIndexes !== true) await restoreAbandoned(db);
  let closed = false;
  return {
    // The ordinary repositories' queries, written once for both engines (src/store/shared/).
    ...storeRepos(postgresQueryDb(db), now, {
      papers: createPgPaperRepo(db, now),
      vectors: createPgVectorRepo(db),
      listingVersion: pgListingVersion(db),
      digestClaim: pgDigestClaim(db, now),
      digestEnqueue: pgDigestEnqueue(db, now),
    }),
    // PostgreSQL's checkpointer is already its own process; no request waits for it.
    checkpointInBackground: () => null,
    async stats(): Promise<StoreStats> {
      const s = await queryOne<Omit<StoreStats, 'schemaVersion' | 'engine' | 'location'>>(
        db,
        `SELECT (SELECT count(*) FROM papers) AS papers,
                (SELECT count(*) FROM authors) AS authors,
                (SELECT count(DISTINCT category) FROM paper_categories) AS categories,
                (SELECT max(sort_date) FROM papers) AS "newestDate",
                (SELECT min(sort_date) FROM papers) AS "oldestDate",
                (SELECT count(*) FROM ingest_runs) AS "ingestRuns"`,
      );
      if (!s) throw new Error('stats query returned nothing');
      return {
        ...s,
        schemaVersion: await pgSchemaVersion(db),
        engine: 'postgres',
        location: describeUrl(url),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.end();
    },
  };
}
