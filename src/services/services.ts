// Wires the store, sources and use cases into one bundle for the surfaces (web, CLI).
import { createJobLease, type JobLease, type Logger, nodeId } from '../platform/index.ts';
import type { Config } from '../config.ts';
import type { IngestRun } from '../domain/index.ts';
import { createPoliteFetch, type FetchLike } from '../ingest/http.ts';
import { openStore, parseDatabaseUrl } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import {
  type AutoTrain,
  type AutoTrainDeps,
  createAutoTrain,
  SearchIndexes,
  type SearchService,
  type SemanticService,
} from './search/index.ts';
import { createSearchParts } from './search-services.ts';
import {
  createHarvestService,
  createImportService,
  type HarvestService,
  harvestStatus,
  type HarvestStatus,
  type ImportService,
  startHarvestScheduler,
} from './ingest/index.ts';
import { createPapersService, type PapersService } from './papers/index.ts';
import { createForYouService, type ForYouService } from './foryou/index.ts';
import { createTopicsService, type TopicsService } from './topics/index.ts';
import { createTrendsService, type TrendsService } from './trends/index.ts';
import { createPaperGraphService, type PaperGraphService } from './graph/index.ts';
import { createSiteParts, type SitePartsDeps } from './site-parts.ts';
import {
  createCollectionsService,
  createProfilesService,
  type CollectionsService,
  type ProfilesService,
} from './collections/index.ts';
import { randomBytes } from 'node:crypto';
import { createEnrichServices, type EnrichServices } from './enrich/index.ts';
import { createDiscussionServices, type DiscussionServices } from './discussion/index.ts';
import { createReaderServices, type ReaderServiceDeps, type ReaderServices } from './reader-services.ts';
import {
  createDigestServices,
  createPersonalSections,
  type DigestServiceDeps,
  type DigestServices,
} from './digest/index.ts';

export interface Services extends ReaderServices {
  /** Digest subscriptions, the outbox delivery and its scheduler (digest issue). */
  readonly digest: DigestServices;
  /** Hybrid search and similar papers over in-process indexes kept in step with the store. */
  readonly search: SearchService;
  /** The active embedder, training the corpus model, embedding papers. */
  readonly semantic: SemanticService;
  /** The in-process indexes behind `search` (rebuild, snapshot). */
  readonly searchIndexes: SearchIndexes;
  readonly config: Config;
  readonly papers: PapersService;
  readonly imports: ImportService;
  readonly harvest: HarvestService;
  /** Personal recommendations, follows, saved searches, not-interested marks, library import. */
  readonly forYou: ForYouService;
  /** Topics of the store's papers, the map and rising topics (pictures issue). */
  readonly topics: TopicsService;
  /** Papers per week or month for searches and topics (pictures issue). */
  readonly trends: TrendsService;
  /** A paper's related-papers graph (pictures issue). */
  readonly graph: PaperGraphService;
  /** Readers' collections of papers (community issue). */
  readonly collections: CollectionsService;
  /** Handles, public profiles and who submitted a paper (community issue). */
  readonly profiles: ProfilesService;
  /** GitHub facts, model summaries and thumbnails, and what pages show of them (enrichment issue). */
  readonly enrich: EnrichServices;
  /** Comments under papers, moderation and readers' notifications (community issue). */
  readonly discussion: DiscussionServices;
  ingestRuns(limit: number): Promise<IngestRun[]>;
  /** Starts the configured first-start and daily arXiv harvest (see config PAPERBOY_HARVEST_*). */
  scheduleHarvest(log: Logger): { stop(): void; done: Promise<void> };
  /** How the last automatic arXiv harvest went and when the next is due (for /health and admins). */
  harvestStatus(): Promise<HarvestStatus>;
  /**
   * serve's own model training (one pass; run it under the embed lease), or null when EMBEDDER is not auto
   * or PAPERBOY_AUTO_TRAIN_PAPERS is 0.
   */
  autoTrain(log: Logger): AutoTrain | null;
  /** This process's name in job leases and logs. */
  readonly nodeId: string;
  /** A lease for a scheduled job, so that several nodes on one database run it once. */
  jobLease(name: 'harvest' | 'embed' | 'digest' | 'topics' | 'enrich'): JobLease;
  /**
   * serve: SQLite's WAL checkpoints from a worker thread instead of inside request writes (null on
   * PostgreSQL); stopped by `close` at the latest.
   */
  checkpointInBackground(log: Logger): { stop(): Promise<void> } | null;
  close(): Promise<void>;
}

export interface ServiceDeps extends ReaderServiceDeps, SitePartsDeps {
  /** The SQLite store's page cache in bytes (default 16 MiB): `ingest` opens it larger. */
  pageCacheBytes?: number;
  /** `ingest`: open the store for a bulk import (see OpenStoreOptions.bulkImport). */
  bulkImport?: boolean;
  /** This process's name in job leases (default: host, pid and a random suffix). */
  nodeId?: string;
  /** Job lease length (default 2 minutes). */
  leaseTtlMs?: number;
  /** Knobs of serve's own model training (tests train small models quickly). */
  autoTrain?: Pick<AutoTrainDeps, 'train' | 'embedBatch' | 'retryAfterMs'>;
  /** Digest collaborators (SMTP transport, personal sections, delivery tuning). */
  digest?: DigestServiceDeps;
  /** All network access; tests replay recorded arXiv responses through it. */
  fetch?: FetchLike;
  now?: () => Date;
  /** Milliseconds for throttles that space work in time (default Date.now); tests advance it to skip a wait. */
  elapsedMs?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told about rate-limit and retry waits. */
  onWait?: (msg: string) => void;
  /** Told how far a search index rebuild has got. */
  onIndexProgress?: (what: string, done: number, total: number | null) => void;
  /** The DATABASE_URL the store was opened from (set by openServices): see SearchPartsDeps. */
  lookupDatabaseUrl?: string;
}

export { indexDir, SIMILAR_WEIGHT } from './search-services.ts';

/** Builds services over an already open store. */
export function createServices(store: Store, config: Config, deps: ServiceDeps = {}): Services {
  const now = deps.now ?? (() => new Date());
  const fetch = deps.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const arxivGet = createPoliteFetch({
    fetch,
    minIntervalMs: config.ARXIV_DELAY_MS,
    maxRetries: config.ARXIV_RETRIES,
    sleep: deps.sleep,
    onWait: deps.onWait,
  });
  // For URLs an operator gives `paperboy ingest`: file hosts redirect to CDNs, and exports can be large.
  const plainGet = createPoliteFetch({
    fetch,
    minIntervalMs: 0,
    maxRetries: 2,
    redirects: 'any',
    maxBytes: 256 * 1024 * 1024,
    sleep: deps.sleep,
    onWait: deps.onWait,
  });
  const harvest = createHarvestService({
    store,
    get: arxivGet,
    apiUrl: config.ARXIV_API_URL,
    oaiUrl: config.ARXIV_OAI_URL,
    rssUrl: config.ARXIV_RSS_URL,
    now,
  });
  const { search, semantic, searchIndexes, training } = createSearchParts(store, config, deps);
  const papers = createPapersService(store);
  const node = deps.nodeId ?? nodeId();
  const jobLease = (name: string): JobLease =>
    createJobLease({
      leases: store.leases,
      name,
      holder: node,
      ttlMs: deps.leaseTtlMs ?? config.PAPERBOY_LEASE_SECONDS * 1000,
    });
  const forYou = createForYouService({
    store,
    indexes: searchIndexes,
    embedder: () => semantic.current(),
    now,
  });
  // The one place the shared parts are built: every feature gets the same mailer, limiter, origin and secret.
  const parts = createSiteParts(config, now, deps);
  const topics = createTopicsService({
    store,
    // A failing embedder means no active model: topics keep their last state and place nobody new.
    model: () =>
      semantic.current().then(
        (e) => e?.model ?? null,
        () => null,
      ),
    now,
  });
  const digest = createDigestServices(store, config, parts, {
    personalSections: createPersonalSections({ store, forYou, indexes: searchIndexes }),
    ...deps.digest,
  });
  const readers = createReaderServices(store, config, harvest, parts, deps);
  return {
    config,
    digest,
    search,
    semantic,
    searchIndexes,
    ...readers,
    // After the spread, which would have copied the reader services' origin once: read it at each use.
    get baseUrl() {
      return parts.origin.url();
    },
    papers,
    forYou,
    topics,
    trends: createTrendsService({ indexes: searchIndexes, topics }),
    graph: createPaperGraphService({ store, search, indexes: searchIndexes }),
    collections: createCollectionsService({ store, random: randomBytes }),
    profiles: createProfilesService({ store }),
    enrich: createEnrichServices(store, config, {
      fetch,
      now,
      sleep: deps.sleep,
      onWait: deps.onWait,
      lease: () => jobLease('enrich'),
    }),
    discussion: createDiscussionServices({
      store,
      now,
      adminEmails: config.ADMIN_EMAILS,
      secret: () => parts.serverSecret().value,
    }),
    harvest,
    imports: createImportService({
      store,
      harvest,
      get: plainGet,
      bulkImportMinBytes: config.PAPERBOY_BULK_IMPORT_MB * 2 ** 20,
    }),
    ingestRuns: (limit) => store.runs.recent(limit),
    scheduleHarvest: (log) =>
      startHarvestScheduler(
        {
          categories: [...config.PAPERBOY_CATEGORIES],
          hourUtc: config.PAPERBOY_HARVEST_HOUR_UTC,
          firstDays: config.PAPERBOY_HARVEST_DAYS,
        },
        { harvest, runs: store.runs, log, now, lease: jobLease('harvest') },
      ),
    harvestStatus: () =>
      harvestStatus(
        store.runs,
        { hourUtc: config.PAPERBOY_HARVEST_HOUR_UTC, enabled: config.PAPERBOY_HARVEST },
        now(),
      ),
    autoTrain: (log) =>
      config.EMBEDDER !== 'auto' || config.PAPERBOY_AUTO_TRAIN_PAPERS === 0
        ? null
        : createAutoTrain({
            semantic,
            countPapers: () => papers.count(),
            countPapersUpperBound: () => store.papers.countUpperBound(),
            settings: store.settings,
            progress: training,
            log,
            policy: { minPapers: config.PAPERBOY_AUTO_TRAIN_PAPERS, growth: config.PAPERBOY_RETRAIN_GROWTH },
            ...deps.autoTrain,
          }),
    nodeId: node,
    jobLease,
    checkpointInBackground: (log) => store.checkpointInBackground({ onError: (line) => log.warn(line) }),
    close: async () => {
      await search.close();
      await semantic.close();
      digest.close();
      parts.close();
      searchIndexes.saveIfChanged();
      await store.close();
    },
  };
}

/**
 * Opens the configured store and builds the services over it.
 * @example const services = await openServices(loadConfig()); await services.close();
 */
export async function openServices(config: Config, deps: ServiceDeps = {}): Promise<Services> {
  const store = await openStore(config.DATABASE_URL, {
    now: deps.now,
    pageCacheBytes: deps.pageCacheBytes,
    bulkImport: deps.bulkImport,
  });
  // The store came from this URL, so a worker thread may open it too (not an in-memory database: its own). Off by
  // default: at 300k papers under load it measured worse than the paced build (docs/BENCHMARKS.md, h23a).
  const memory = parseDatabaseUrl(config.DATABASE_URL).location === ':memory:';
  const worker = config.LOOKUP_WORKER && !memory && deps.lookupDatabaseUrl === undefined;
  return createServices(store, config, {
    ...deps,
    ...(worker ? { lookupDatabaseUrl: config.DATABASE_URL } : {}),
  });
}
