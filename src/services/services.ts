// Wires the store, sources and use cases into one bundle for the surfaces (web, CLI).
import { createJobLease, nodeId, type JobLease } from './job-lease.ts';
import type { Config } from '../config.ts';
import type { IngestRun } from '../domain/index.ts';
import { createPoliteFetch, type FetchLike } from '../ingest/http.ts';
import { openStore } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import { parseDatabaseUrl } from '../store/db.ts';
import { SearchIndexes } from './search-indexes.ts';
import { createSiteOrigin } from './site-origin.ts';
import { createSearchService, type SearchService } from './search-service.ts';
import { createSemanticService, type SemanticService } from './semantic-service.ts';
import { harvestStatus, startHarvestScheduler, type HarvestStatus } from './harvest-scheduler.ts';
import { createHarvestService, type HarvestService } from './harvest-service.ts';
import { createImportService, type ImportService } from './import-service.ts';
import type { Logger } from './logger.ts';
import { createPapersService, type PapersService } from './papers-service.ts';
import { createForYouService, type ForYouService } from './foryou-service.ts';
import { createTopicsService, type TopicsService } from './topics/index.ts';
import { createTrendsService, type TrendsService } from './trends/index.ts';
import { createPaperGraphService, type PaperGraphService } from './graph/index.ts';
import { createDiscussionServices, type DiscussionServices } from './discussion/index.ts';
// --- readers (site issue) ---
import { createReaderServices, type ReaderServiceDeps, type ReaderServices } from './reader-services.ts';
import { createRateLimiter } from './rate-limiter.ts';
// --- end readers ---
// --- digest ---
import { createDigestServices, type DigestServiceDeps, type DigestServices } from './digest-services.ts';
import { createPersonalSections } from './digest-personal.ts';
// --- end digest ---

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
  /** Comments under papers, moderation and readers' notifications (community issue). */
  readonly discussion: DiscussionServices;
  ingestRuns(limit: number): Promise<IngestRun[]>;
  /** Starts the configured first-start and daily arXiv harvest (see config PAPERBOY_HARVEST_*). */
  scheduleHarvest(log: Logger): { stop(): void; done: Promise<void> };
  /** How the last automatic arXiv harvest went and when the next is due (for /health and admins). */
  harvestStatus(): Promise<HarvestStatus>;
  /** This process's name in job leases and logs. */
  readonly nodeId: string;
  /** A lease for a scheduled job, so that several nodes on one database run it once. */
  jobLease(name: 'harvest' | 'embed' | 'digest'): JobLease;
  close(): Promise<void>;
}

export interface ServiceDeps extends ReaderServiceDeps {
  /** This process's name in job leases (default: host, pid and a random suffix). */
  nodeId?: string;
  /** Job lease length (default 2 minutes). */
  leaseTtlMs?: number;
  /** Digest collaborators (SMTP transport, personal sections, delivery tuning). */
  digest?: DigestServiceDeps;
  /** All network access; tests replay recorded arXiv responses through it. */
  fetch?: FetchLike;
  now?: () => Date;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Told about rate-limit and retry waits. */
  onWait?: (msg: string) => void;
  /** Told how far a search index rebuild has got. */
  onIndexProgress?: (what: string, done: number, total: number | null) => void;
}

/** Where search index snapshots live: INDEX_DIR, else beside a SQLite file; null (memory only) for ":memory:" and PostgreSQL. */
export function indexDir(config: Config): string | null {
  if (config.INDEX_DIR !== '') return config.INDEX_DIR;
  const db = parseDatabaseUrl(config.DATABASE_URL);
  // Nodes sharing a PostgreSQL database keep their own snapshots: set INDEX_DIR per node; without it they rebuild on start.
  if (db.engine === 'postgres') return null;
  return db.location === ':memory:' ? null : `${db.location}.index`;
}

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
  const semantic = createSemanticService(store, config);
  const node = deps.nodeId ?? nodeId();
  const jobLease = (name: string): JobLease =>
    createJobLease({
      leases: store.leases,
      name,
      holder: node,
      ttlMs: deps.leaseTtlMs ?? config.PAPERBOY_LEASE_SECONDS * 1000,
    });
  const searchIndexes = new SearchIndexes(store, {
    dir: indexDir(config),
    approximateAbove: config.VECTOR_APPROXIMATE_ABOVE,
    onProgress: deps.onIndexProgress,
  });
  const search = createSearchService({
    store,
    indexes: searchIndexes,
    embedder: () => semantic.current(),
    semanticWeight: config.SEARCH_SEMANTIC_WEIGHT ?? undefined,
    similarWeight: 0.5,
    depth: config.SEARCH_DEPTH,
    embedTimeoutMs: 2000,
  });
  const forYou = createForYouService({
    store,
    indexes: searchIndexes,
    embedder: () => semantic.current(),
    now,
  });
  // One origin for every mailed link; serve tells it the address it really listens on.
  const origin = deps.origin ?? createSiteOrigin(config);
  // One limiter for the account and digest services, so each mail budget counts every action together.
  const limiter = deps.limiter ?? createRateLimiter(() => now().getTime());
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
  const digest = createDigestServices(store, config, {
    origin,
    limiter,
    mailer: deps.mailer,
    log: deps.log,
    now,
    personalSections: createPersonalSections({ store, forYou, indexes: searchIndexes }),
    ...deps.digest,
  });
  const readers = createReaderServices(store, config, harvest, {
    ...deps,
    now,
    limiter,
    mailer: digest.mailer,
    origin,
  });
  return {
    config,
    digest,
    search,
    semantic,
    searchIndexes,
    // --- readers (site issue): accounts, sessions, tokens, votes, library, listings, submit ---
    ...readers,
    // --- end readers ---
    // After the spread, which would have copied the reader services' origin once: read it at each use.
    get baseUrl() {
      return origin.url();
    },
    papers: createPapersService(store),
    forYou,
    topics,
    trends: createTrendsService({ indexes: searchIndexes, topics }),
    graph: createPaperGraphService({ store, search, indexes: searchIndexes }),
    discussion: createDiscussionServices({
      store,
      now,
      adminEmails: config.ADMIN_EMAILS,
      secret: () => readers.serverSecret().value,
    }),
    harvest,
    imports: createImportService({ store, harvest, get: plainGet }),
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
    nodeId: node,
    jobLease,
    close: async () => {
      await semantic.close();
      digest.close();
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
  const store = await openStore(config.DATABASE_URL, { now: deps.now });
  return createServices(store, config, deps);
}
