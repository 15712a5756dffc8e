// The PostgreSQL engine: every repository over one connection pool, the schema migrated on open.
import type { Store, StoreStats } from '../store.ts';
import { pgDigestClaim } from './digest-claim.ts';
import { pgListingVersion } from './listing-version.ts';
import { createPgDiscussionRepo } from './discussion.repo.ts';
import { createPgCollectionRepo } from './collections.repo.ts';
import { createProfileRepo } from '../shared/profiles.repo.ts';
import { createEnrichmentRepo } from '../shared/enrichment.repo.ts';
import { migratePostgres, pgSchemaVersion } from './migrate.ts';
import { createPgPaperRepo } from './papers.repo.ts';
import { connectError, createPgPool, describeUrl, queryOne } from './pg-db.ts';
import { createPgVectorRepo } from './vectors.repo.ts';
import { postgresQueryDb } from '../kysely/query-db.ts';
import { createUserRepo } from '../shared/users.repo.ts';
import { createLeaseRepo } from '../shared/leases.repo.ts';
import { createModelRepo, createSettingsRepo } from '../shared/models.repo.ts';
import { createTopicRepo } from '../shared/topics.repo.ts';
import { createDigestRepo } from '../shared/digest.repo.ts';
import { createForYouRepo } from '../shared/foryou.repo.ts';
import { createListingRepo } from '../shared/listings.repo.ts';
import { createIngestRunRepo } from '../shared/ingest-runs.repo.ts';
import { createVoteRepo } from '../shared/votes.repo.ts';
import { createLibraryRepo } from '../shared/library.repo.ts';
import { createSessionRepo } from '../shared/sessions.repo.ts';
import { createApiTokenRepo } from '../shared/api-tokens.repo.ts';
import { createEmailTokenRepo } from '../shared/email-tokens.repo.ts';

export interface PostgresStoreOptions {
  /** Connections in the pool (default 10). */
  poolSize?: number;
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
  let closed = false;
  // The ordinary repositories' queries, written once for both engines (src/store/shared/).
  const q = postgresQueryDb(db);
  return {
    papers: createPgPaperRepo(db, now),
    runs: createIngestRunRepo(q, now),
    vectors: createPgVectorRepo(db),
    models: createModelRepo(q, now),
    settings: createSettingsRepo(q),
    users: createUserRepo(q, now),
    sessions: createSessionRepo(q, now),
    apiTokens: createApiTokenRepo(q, now),
    emailTokens: createEmailTokenRepo(q, now),
    votes: createVoteRepo(q),
    library: createLibraryRepo(q, now),
    listings: createListingRepo(q, pgListingVersion(db)),
    digest: createDigestRepo(q, now, pgDigestClaim(db, now)),
    forYou: createForYouRepo(q, now),
    leases: createLeaseRepo(q, now),
    topics: createTopicRepo(q),
    discussion: createPgDiscussionRepo(db, now),
    collections: createPgCollectionRepo(db, now),
    profiles: createProfileRepo(q, now),
    enrichment: createEnrichmentRepo(q),
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
