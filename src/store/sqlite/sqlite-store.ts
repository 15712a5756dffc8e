// The SQLite engine: one database file holding every repository.
import type { BackgroundCheckpoints, Store, StoreStats } from '../store.ts';
import { createSqliteApiTokenRepo } from './api-tokens.repo.ts';
import { createSqliteDigestRepo } from './digest.repo.ts';
import { createSqliteDiscussionRepo } from './discussion.repo.ts';
import { createSqliteEmailTokenRepo } from './email-tokens.repo.ts';
import { createSqliteForYouRepo } from './foryou.repo.ts';
import { createSqliteIngestRunRepo } from './ingest-runs.repo.ts';
import { createSqliteLeaseRepo } from './leases.repo.ts';
import { createSqliteLibraryRepo } from './library.repo.ts';
import { createSqliteListingRepo } from './listings.repo.ts';
import { openSqlite, schemaVersion, WAL_AUTOCHECKPOINT_PAGES } from './open.ts';
import { createSqlitePaperRepo } from './papers.repo.ts';
import { createSqliteModelRepo, createSqliteSettingsRepo, createSqliteVectorRepo } from './vectors.repo.ts';
import { createSqliteTopicRepo } from './topics.repo.ts';
import { createSqliteCollectionRepo } from './collections.repo.ts';
import { createSqliteProfileRepo } from './profiles.repo.ts';
import { createSqliteEnrichmentRepo } from './enrichment.repo.ts';
import { createSqliteSessionRepo } from './sessions.repo.ts';
import { createSqliteUserRepo } from './users.repo.ts';
import { createSqliteVoteRepo } from './votes.repo.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

/**
 * Opens a SQLite-backed store at `location` (a file path or ":memory:").
 * @example const store = createSqliteStore('/tmp/pb.db', () => new Date());
 */
export function createSqliteStore(location: string, now: () => Date): Store {
  const db = openSqlite(location);
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
    runs: createSqliteIngestRunRepo(db, now),
    vectors: createSqliteVectorRepo(db),
    models: createSqliteModelRepo(db, now),
    settings: createSqliteSettingsRepo(db),
    users: createSqliteUserRepo(db, now),
    sessions: createSqliteSessionRepo(db, now),
    apiTokens: createSqliteApiTokenRepo(db, now),
    emailTokens: createSqliteEmailTokenRepo(db, now),
    votes: createSqliteVoteRepo(db),
    library: createSqliteLibraryRepo(db, now),
    listings: createSqliteListingRepo(db),
    digest: createSqliteDigestRepo(db, now),
    forYou: createSqliteForYouRepo(db, now),
    discussion: createSqliteDiscussionRepo(db, now),
    leases: createSqliteLeaseRepo(db, now),
    topics: createSqliteTopicRepo(db),
    collections: createSqliteCollectionRepo(db, now),
    profiles: createSqliteProfileRepo(db, now),
    enrichment: createSqliteEnrichmentRepo(db),
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
