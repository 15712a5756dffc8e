// Wires the store, sources and use cases into one bundle for the surfaces (web, CLI).
import type { Config } from '../config.ts';
import type { IngestRun } from '../domain/index.ts';
import { createPoliteFetch, type FetchLike } from '../ingest/http.ts';
import { openStore } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import { startHarvestScheduler } from './harvest-scheduler.ts';
import { createHarvestService, type HarvestService } from './harvest-service.ts';
import { createImportService, type ImportService } from './import-service.ts';
import type { Logger } from './logger.ts';
import { createPapersService, type PapersService } from './papers-service.ts';
// --- readers (site issue) ---
import { createReaderServices, type ReaderServiceDeps, type ReaderServices } from './reader-services.ts';
// --- end readers ---

export interface Services extends ReaderServices {
  readonly config: Config;
  readonly papers: PapersService;
  readonly imports: ImportService;
  readonly harvest: HarvestService;
  ingestRuns(limit: number): Promise<IngestRun[]>;
  /** Starts the configured first-start and daily arXiv harvest (see config PAPERBOY_HARVEST_*). */
  scheduleHarvest(log: Logger): { stop(): void; done: Promise<void> };
  close(): Promise<void>;
}

export interface ServiceDeps extends ReaderServiceDeps {
  /** All network access; tests replay recorded arXiv responses through it. */
  fetch?: FetchLike;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Told about rate-limit and retry waits. */
  onWait?: (msg: string) => void;
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
  const plainGet = createPoliteFetch({
    fetch,
    minIntervalMs: 0,
    maxRetries: 2,
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
  return {
    config,
    // --- readers (site issue): accounts, sessions, tokens, votes, library, listings, submit ---
    ...createReaderServices(store, config, harvest, { ...deps, now }),
    // --- end readers ---
    papers: createPapersService(store),
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
        { harvest, runs: store.runs, log, now },
      ),
    close: () => store.close(),
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
