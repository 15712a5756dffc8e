// Every repository of a store wired in one place: the shared ones over the engine's query handle, beside the
// parts each engine writes itself.
import type { PaperRepo, Store } from '../store.ts';
import type { DigestRepo } from '../digest.ts';
import type { VectorRepo } from '../vectors.ts';
import type { QueryDb } from '../kysely/query-db.ts';
import { createApiTokenRepo } from './api-tokens.repo.ts';
import { createCollectionRepo } from './collections.repo.ts';
import { createDigestRepo } from './digest.repo.ts';
import { createDiscussionRepo } from './discussion.repo.ts';
import { createEmailTokenRepo } from './email-tokens.repo.ts';
import { createEnrichmentRepo } from './enrichment.repo.ts';
import { createForYouRepo } from './foryou.repo.ts';
import { createIngestRunRepo } from './ingest-runs.repo.ts';
import { createLeaseRepo } from './leases.repo.ts';
import { createLibraryRepo } from './library.repo.ts';
import { createListingRepo } from './listings.repo.ts';
import { createModelRepo, createSettingsRepo } from './models.repo.ts';
import { createProfileRepo } from './profiles.repo.ts';
import { createSessionRepo } from './sessions.repo.ts';
import { createTopicRepo } from './topics.repo.ts';
import { createUserRepo } from './users.repo.ts';
import { createVoteRepo } from './votes.repo.ts';

/** What each engine writes by hand because the engines really differ there (docs/DESIGN.md, "Store"). */
export interface EngineParts {
  /** The paper upsert and change log: ingest's hot path. */
  readonly papers: PaperRepo;
  /** Bulk float32 vector reads and writes. */
  readonly vectors: VectorRepo;
  /** The listing caches' change counter. */
  readonly listingVersion: () => Promise<number>;
  /** The outbox claim (IMMEDIATE on SQLite, SKIP LOCKED on PostgreSQL). */
  readonly digestClaim: DigestRepo['claim'];
  /** The outbox enqueue, where the engine writes its own (PostgreSQL); the shared one otherwise. */
  readonly digestEnqueue?: DigestRepo['enqueue'];
}

/** The store's repositories: all but the engine's own stats, checkpoints and close. */
export type StoreRepos = Omit<Store, 'stats' | 'checkpointInBackground' | 'close'>;

/**
 * Wires the repositories of a store: the engine's own parts and every shared repository over `q`.
 */
export function storeRepos(q: QueryDb, now: () => Date, parts: EngineParts): StoreRepos {
  return {
    papers: parts.papers,
    vectors: parts.vectors,
    runs: createIngestRunRepo(q, now),
    models: createModelRepo(q, now),
    settings: createSettingsRepo(q),
    users: createUserRepo(q, now),
    sessions: createSessionRepo(q, now),
    apiTokens: createApiTokenRepo(q, now),
    emailTokens: createEmailTokenRepo(q, now),
    votes: createVoteRepo(q),
    library: createLibraryRepo(q, now),
    listings: createListingRepo(q, parts.listingVersion),
    digest: createDigestRepo(q, now, parts.digestClaim, parts.digestEnqueue),
    forYou: createForYouRepo(q, now),
    leases: createLeaseRepo(q, now),
    topics: createTopicRepo(q),
    discussion: createDiscussionRepo(q, now),
    collections: createCollectionRepo(q, now),
    profiles: createProfileRepo(q, now),
    enrichment: createEnrichmentRepo(q),
  };
}
