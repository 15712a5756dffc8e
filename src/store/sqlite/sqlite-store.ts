// The SQLite engine: one database file holding every repository.
import type { BackgroundCheckpoints, Store, StoreStats } from '../store.ts';
import { sqliteDigestClaim } from './digest-claim.ts';
import { sqliteListingVersion } from './listing-version.ts';
import { openSqlite, schemaVersion, WAL_AUTOCHECKPOINT_PAGES } from './open.ts';
import { createSqlitePaperRepo } from './papers.repo.ts';
import { createSqliteVectorRepo } from './vectors.repo.ts';
import { sqliteQueryDb } from '../kysely/query-db.ts';
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
import { createSqliteDiscussionRepo } from './discussion.repo.ts';
import { createSqliteCollectionRepo } from './collections.repo.ts';
import { createProfileRepo } from '../shared/profiles.repo.ts';
import { createEnrichmentRepo } from '../shared/enrichment.repo.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/**
 * Opens a SQLite-backed store at `location` (a file path or ":memory:").
 * @example const store = createSqliteStore('/tmp/pb.db', () => new Date());
 */
export function createSqliteStore(location: string, now: () => Date): Store {
  const db = openSqlite(location);
  // The ordinary repositories' queries, written once for both engines (src/store/shared/).
  const q = sqliteQueryDb(db);
  const statsQuery = db.prepare<[], Omit<StoreStats, 'schemaVersion' | 'engine' | 'location'>>(
    `SELECT (SELECT count(*) FROM papers) AS papers,
            (SELECT count(*) FROM authors) AS authors,
            (SELECT count(DISTINCT category) FROM paper_categories) AS categories,
            (SELECT max(sort_date) FROM papers) AS newestDate,
            (SELECT min(sort_date) FROM papers) AS oldestDate,
            (SELECT count(*) FROM ingest_runs) AS ingestRuns`,
  );
  let checkpoints: BackgroundCheckpoints | null = null;
  return {
    papers: createSqlitePaperRepo(db, now),
    runs: createIngestRunRepo(q, now),
    vectors: createSqliteVectorRepo(db),
    models: createModelRepo(q, now),
    settings: createSettingsRepo(q),
    users: createUserRepo(q, now),
    sessions: createSessionRepo(q, now),
    apiTokens: createApiTokenRepo(q, now),
    emailTokens: createEmailTokenRepo(q, now),
    votes: createVoteRepo(q),
    library: createLibraryRepo(q, now),
    listings: createListingRepo(q, sqliteListingVersion(db)),
    digest: createDigestRepo(q, now, sqliteDigestClaim(db, now)),
    forYou: createForYouRepo(q, now),
    leases: createLeaseRepo(q, now),
    topics: createTopicRepo(q),
    discussion: createSqliteDiscussionRepo(db, now),
    collections: createSqliteCollectionRepo(db, now),
    profiles: createProfileRepo(q, now),
    enrichment: createEnrichmentRepo(q),
    async stats() {
      const s = statsQuery.get();
      if (!s) throw new Error('stats query returned nothing');
      return { ...s, schemaVersion: schemaVersion(db), engine: 'sqlite', location };
    },
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
