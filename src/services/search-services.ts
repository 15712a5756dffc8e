// The search half of the services (indexes, semantic model, search) over a store, for commands needing no more.
import { join, resolve } from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../platform/index.ts';
import { openStore, parseDatabaseUrl } from '../store/db.ts';
import type { Store } from '../store/store.ts';
import {
  createSearchService,
  createSemanticService,
  createTrainingProgress,
  SearchIndexes,
  analyzedPagesInWorker,
  followVectorsInWorker,
  LOOKUP_FILE,
  currentSnapshot,
  seedSnapshot,
  type SearchService,
  type SemanticService,
} from './search/index.ts';

/*
 * Why apart from services.ts: building every service imports every feature's modules (mail, XML, Markdown
 * and KaTeX, …), about half a second of a cold `paperboy search`, which needs only these three
 * (docs/BENCHMARKS.md, cold `paperboy search`). createServices builds them with this same function.
 */

export interface SearchParts {
  /** Hybrid search and similar papers over in-process indexes kept in step with the store. */
  readonly search: SearchService;
  /** The active embedder, training the corpus model, embedding papers. */
  readonly semantic: SemanticService;
  /** The in-process indexes behind `search` (rebuild, snapshot). */
  readonly searchIndexes: SearchIndexes;
  readonly training: ReturnType<typeof createTrainingProgress>;
}

export interface SearchPartsDeps {
  now?: () => Date;
  /** Milliseconds for throttles that space work in time (default Date.now); tests advance it to skip a wait. */
  elapsedMs?: () => number;
  /** Told how far a search index rebuild has got. */
  onIndexProgress?: (what: string, done: number, total: number | null) => void;
  /** Where refused snapshots and model images are reported; without it, as `paperboy: …` lines on `stderr`. */
  log?: Logger;
  /** The CLI's standard error (default: the process's). */
  stderr?: { write(s: string): unknown };
  /**
   * The DATABASE_URL the store was opened from, when it was (openServices): the spelling and suggestion tables
   * are then built and held on a worker thread with its own connection instead of on the event loop.
   */
  lookupDatabaseUrl?: string;
}

/** The semantic share when fusing a paper's similar papers (see the measurement where it is used). */
export const SIMILAR_WEIGHT = 0.9;

/** Where search index snapshots live: INDEX_DIR, else beside a SQLite file; null (memory only) for ":memory:" and PostgreSQL. */
export function indexDir(config: Config): string | null {
  if (config.INDEX_DIR !== '') return config.INDEX_DIR;
  const db = parseDatabaseUrl(config.DATABASE_URL);
  // Nodes sharing a PostgreSQL database keep their own snapshots: set INDEX_DIR per node (and INDEX_SEED_DIR to start
  // a new one from another's); without INDEX_DIR they rebuild on start.
  if (db.engine === 'postgres') return null;
  return db.location === ':memory:' ? null : `${db.location}.index`;
}

/**
 * A new node's empty index folder gets the current generation of INDEX_SEED_DIR (with its suggestion tables and
 * model image) instead of every index being rebuilt from the store; says which it did and why.
 */
function seedIndexDir(
  dir: string,
  seed: string,
  log: { info(s: string): void; notice(s: string): void; warn(s: string): void },
): void {
  if (seed === '' || resolve(seed) === resolve(dir)) {
    if (currentSnapshot(dir) === null)
      log.info(
        `search index: ${dir} holds no snapshot and INDEX_SEED_DIR is not set; building from the store`,
      );
    return;
  }
  const out = seedSnapshot(dir, seed, (n) => n === LOOKUP_FILE || /^model-.*\.bin$/.test(n));
  if (out.kind === 'copied')
    log.notice(
      `search index: ${dir} held no snapshot; ${out.linked ? 'linked' : 'copied'} ${out.files} files (${(out.bytes / 2 ** 20).toFixed(0)} MiB) of ${out.from} from INDEX_SEED_DIR instead of rebuilding from the store`,
    );
  else if (out.kind === 'none')
    log.warn(
      `search index: ${dir} holds no snapshot and INDEX_SEED_DIR gave none (${out.reason}); building from the store`,
    );
}

/** Builds search, the semantic model and the indexes over an open store. */
export function createSearchParts(store: Store, config: Config, deps: SearchPartsDeps = {}): SearchParts {
  const warn = (line: string): void => {
    if (deps.log) deps.log.warn(line);
    else (deps.stderr ?? process.stderr).write(`paperboy: ${line}\n`);
  };
  const info = (line: string): void => deps.log?.info(line);
  const dir = indexDir(config);
  // Said on stderr without a logger (serve's CLI start has none yet): a node's start should say where its index came from.
  const notice = (line: string): void =>
    deps.log ? deps.log.info(line) : void (deps.stderr ?? process.stderr).write(`paperboy: ${line}\n`);
  if (dir !== null) seedIndexDir(dir, config.INDEX_SEED_DIR, { info, notice, warn });
  const semantic = createSemanticService(store, config, {
    dir,
    // Said once per refused image: the model is then read from the store and its image rewritten.
    onRefused: (file, reason) =>
      warn(`model image ${file} refused, reading the model from the store: ${reason}`),
  });
  const searchIndexes = new SearchIndexes(store, {
    dir,
    approximateAbove: config.VECTOR_APPROXIMATE_ABOVE,
    graphLayoutAbove: config.VECTOR_GRAPH_LAYOUT_ABOVE,
    // Said each time: a mapped graph read whole blocks this process and moves the graph into its heap (at 2.7M
    // papers ~35 s and ~3.4 GiB; docs/BENCHMARKS.md "first change to a mapped graph").
    onGraphRead: (file, ms) =>
      warn(
        `vector index: the graph ${file} was read into memory for its first change in ${(ms / 1000).toFixed(1)} s (a mapped graph is read-only); it now lives in this process's heap until the next restart`,
      ),
    // A guard, as for the graph: rows read in place stay so through changes and saves; only a graph built over them
    // (its file missing or refused) reads them whole (at 2.7M papers ~21 s and ~1.6 GiB).
    onRowsRead: (file, ms) =>
      warn(
        `vector index: the rows of ${file} were read into memory in ${(ms / 1000).toFixed(1)} s to build a graph over them; they stay in this process's heap until the next restart`,
      ),
    onProgress: deps.onIndexProgress,
    ...(deps.elapsedMs !== undefined ? { elapsedMs: deps.elapsedMs } : {}),
    // Said once per refused file: the search index then rebuilds from the store, as on a first start.
    onSnapshotRefused: (_file, reason) =>
      warn(`search index snapshot refused, rebuilding it from the store: ${reason}`),
    onChecked: (bytes, ms) =>
      info(
        `search index checked: ${(bytes / 2 ** 20).toFixed(0)} MiB of snapshot blocks on a worker in ${(ms / 1000).toFixed(1)} s (searches waited for it)`,
      ),
    // A cold `paperboy search` reads a few MB of a 300 MB snapshot: checking each block as it is read, not all
    // of them first, saves about half a second (docs/BENCHMARKS.md, "#17 cold search"); serve reads the
    // rest ahead after start, so a damaged block is found within seconds either way.
    checkOnRead: true,
    buildMemoryBytes: config.INDEX_BUILD_MEMORY_MIB * 2 ** 20,
    lexicalMemory: {
      postingsCacheBytes: config.INDEX_POSTINGS_CACHE_MIB * 2 ** 20,
      pairSignatureBytes: config.INDEX_PAIR_SIGNATURES_MIB * 2 ** 20,
    },
    // `reindex` reads and analyzes papers on a second core, through a connection of its own (none to a ":memory:" store).
    ...(parseDatabaseUrl(config.DATABASE_URL).location === ':memory:'
      ? {}
      : {
          analyzedPages: (pageSize: number) => analyzedPagesInWorker(config.DATABASE_URL, pageSize),
          // `embed` grows the vector graph on a second core while it embeds (a folder is needed to write it).
          ...(dir === null
            ? {}
            : {
                vectorSnapshotInWorker: (model: string, dimension: number) =>
                  followVectorsInWorker({
                    databaseUrl: config.DATABASE_URL,
                    dir,
                    approximateAbove: config.VECTOR_APPROXIMATE_ABOVE,
                    graphLayoutAbove: config.VECTOR_GRAPH_LAYOUT_ABOVE,
                    model,
                    dimension,
                  }),
              }),
        }),
  });
  const training = createTrainingProgress(store.settings, deps.now ?? (() => new Date()));
  const search = createSearchService({
    store,
    indexes: searchIndexes,
    embedder: () => semantic.current(),
    training: () => training.read(),
    semanticWeight: config.SEARCH_SEMANTIC_WEIGHT ?? undefined,
    tokenMatchWeight: config.SEARCH_TOKEN_MATCH ?? undefined,
    // Measured by `npm run eval:similar` (the other half of a split abstract): MRR@10 0.857 at 0.9 against
    // 0.826 at the old unmeasured 0.5 and 0.765 lexical alone (docs/BENCHMARKS.md).
    similarWeight: SIMILAR_WEIGHT,
    depth: config.SEARCH_DEPTH,
    embedTimeoutMs: 2000,
    lookup: {
      // Written by `paperboy reindex` (and by serve after refusing one): serve opens it instead of building the
      // tables at start (8 minutes of CPU and most of the heap at 2.7M papers, docs/BENCHMARKS.md #23). At or
      // below LOOKUP_FILE_ABOVE papers (default 500,000) the tables are built in memory instead (seconds, and
      // twice as fast to ask); benches set it to 0 to take the 2.7M path on a smaller store.
      ...(dir === null ? {} : { file: join(dir, LOOKUP_FILE), fileAbove: config.LOOKUP_FILE_ABOVE }),
      // `reindex` writes that file on a thread of its own, beside the index build (a ":memory:" store has no
      // second connection: the file is then built after the indexes, on this thread).
      ...(parseDatabaseUrl(config.DATABASE_URL).location === ':memory:'
        ? {}
        : { fileWorkerDatabaseUrl: config.DATABASE_URL }),
      log: { info, warn },
      ...(deps.lookupDatabaseUrl === undefined
        ? {}
        : {
            databaseUrl: deps.lookupDatabaseUrl,
            onWorkerFailed: (reason: string) =>
              warn(`suggestion tables: worker thread failed (${reason}); building them on the main thread`),
          }),
    },
  });
  return { search, semantic, searchIndexes, training };
}

/**
 * Opens the configured store with only the search parts over it; `close` saves a changed index and closes it.
 * @example const s = await openSearchServices(config); await s.search.search('graph neural networks'); await s.close();
 */
export async function openSearchServices(
  config: Config,
  deps: SearchPartsDeps = {},
): Promise<Omit<SearchParts, 'training'> & { close(): Promise<void> }> {
  const store = await openStore(config.DATABASE_URL, { now: deps.now });
  const { search, semantic, searchIndexes } = createSearchParts(store, config, deps);
  return {
    search,
    semantic,
    searchIndexes,
    close: async () => {
      await search.close();
      await semantic.close();
      searchIndexes.saveIfChanged();
      await store.close();
    },
  };
}
