// The spelling and suggestion tables of one process: opened from the lookup file (else built), kept in step with the store.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import { categoryNames } from '../../ingest/arxiv-taxonomy.ts';
import { openLookupFile, type LookupFile } from '../../index/lookup/lookup-file.ts';
import { mergedSpelling, mergedSuggest } from '../../index/lookup/merged-lookup.ts';
import { correctWith, foldWord, SpellingVocabulary } from '../../index/lookup/spelling-vocabulary.ts';
import { SuggestIndex, suggestFrom, type Suggestion } from '../../index/lookup/suggest-index.ts';
import { SnapshotDamaged } from '../../index/snapshot-sections.ts';
import { checkSectionsInWorker } from '../../index/file-check-worker.ts';
import type { Paper } from '../../domain/index.ts';
import { createPacer, startTsWorker } from '../../platform/index.ts';
import type { Store } from '../../store/store.ts';
import {
  addLookupPaper,
  answeredSpelling,
  buildLookupTables,
  saveLookupTables,
  type LookupTables,
  type SpellingLookup,
} from './lookup-tables.ts';
import {
  saveLookupFileInWorker,
  type LookupFileInWorker,
  type LookupFileWorkerHooks,
} from './lookup-file-in-worker.ts';
import type { LookupJob, LookupReply, LookupRequest } from './lookup.worker.ts';
import type { SearchIndexes } from './search-indexes.ts';

export type { LookupTables, SpellingLookup } from './lookup-tables.ts';

const WORKER_URL = new URL('./lookup.worker.ts', import.meta.url).href;
/** Changes read per page when replaying the change log since a lookup file was built. */
const REPLAY_PAGE = 500;
/** Bytes of the lookup file checked per turn after opening it (a damaged block is then found within seconds). */
const CHECK_STEP = 256 * 1024;
/** Papers read from the store at once when the tables catch up with the papers changed since. */
const CATCH_UP_PAGE = 500;

export interface SearchLookup {
  /** Suggestions for a half-typed query; the tables are opened (or built) first when they are not yet. */
  suggest(query: string): Promise<Suggestion[]>;
  /**
   * What the vocabulary knows of `words` (every word a correction will ask about). With `wait`, the tables are
   * opened (or built) first when they are not yet; without, null until they are.
   */
  spelling(words: readonly string[], wait: boolean): Promise<SpellingLookup | null>;
  /** Starts opening (or building) the tables in the background (serve calls it so the first misspelling does not wait). */
  warm(): void;
  /**
   * Settles once the tables answer here (opened or built; from then on `spelling` answers without waiting), or
   * cannot be had; starts them as `warm` does. Serve waits for it before it starts work that would share the
   * cores with their opening.
   */
  ready(): Promise<void>;
  /**
   * Builds the tables over the whole store and writes them as the lookup file (`paperboy reindex`); null when
   * this process has no index folder. `onBuilt` is told when the tables are built, before the file is written.
   */
  saveFile(onBuilt?: (papers: number) => void): Promise<{ papers: number; seconds: number } | null>;
  /**
   * `saveFile` on a worker thread with a connection of its own (`paperboy reindex` runs it beside the index
   * build): the same file, byte for byte. Null when this process has no index folder or no `fileWorkerDatabaseUrl`.
   */
  saveFileInWorker(hooks?: LookupFileWorkerHooks): LookupFileInWorker | null;
  /** How the tables came to be in this process: built from the store, opened from the file; papers added since. */
  stats(): LookupStats;
  /** Stops a worker thread holding the tables (nothing to do for tables on this thread). */
  close(): Promise<void>;
}

export interface LookupStats {
  /** Builds over the whole store (none when the lookup file was opened). */
  builds: number;
  /** Times the lookup file was opened. */
  opens: number;
  /** Papers held in memory beside the opened file (changed since it was built). */
  deltaPapers: number;
}

export interface SearchLookupOptions {
  /**
   * The DATABASE_URL `store` was opened from: the tables are then built and kept on a worker thread with its own
   * connection, so their build (12.9 s of CPU at 300k papers, docs/BENCHMARKS.md "#23 serve start-up") never
   * holds this event loop. Without it (an in-memory database, a store opened otherwise) they live on this thread.
   */
  databaseUrl?: string;
  /** Told when the worker cannot hold the tables (they are then built on this thread). */
  onWorkerFailed?: (reason: string) => void;
  /**
   * The lookup file (LOOKUP_FILE in the index folder), written by `paperboy reindex`: opened instead of building
   * the tables, with only papers changed since held in memory. A missing, older or damaged one is rebuilt from
   * the store in the background (answers come from the built tables meanwhile, as without a file).
   */
  file?: string;
  /**
   * The file answers only for stores of more papers than this; smaller ones build the tables in memory as
   * without a file (seconds at 75k), where suggestions are about twice as fast: 75k p99 3.4 ms in memory against
   * 6.5 ms from the file (docs/BENCHMARKS.md "#23 lookup tables on file"). Default 0: the file always answers.
   */
  fileAbove?: number;
  /**
   * The DATABASE_URL `saveFileInWorker`'s thread opens its own connection to (not ":memory:"); without it there
   * is no worker for the file and `saveFile` builds it on this thread.
   */
  fileWorkerDatabaseUrl?: string;
  /** Told what became of the file: opened or written (info), refused and rebuilt (warn). */
  log?: { info(line: string): void; warn(line: string): void };
}

/**
 * Follows the same change log as the search indexes: changed papers are re-read and added (a removed or
 * rewritten paper's old words keep their counts until the next rebuild, which only makes those words look
 * a little more common); a full index rebuild reopens (or rebuilds) the tables on next use.
 * @example const lookup = createSearchLookup(store, indexes); (await lookup.suggest('graph neu'))[0]?.label
 */
export function createSearchLookup(
  store: Store,
  indexes: SearchIndexes,
  opts: SearchLookupOptions = {},
): SearchLookup {
  const local = createLocalLookup(store, indexes, opts);
  if (opts.databaseUrl === undefined) return local;
  return createWorkerLookup({ databaseUrl: opts.databaseUrl }, indexes, local, opts.onWorkerFailed);
}

/** Tables this thread answers from: in memory, or a lookup file with the papers changed since. */
interface Active {
  suggest(query: string): Suggestion[];
  spelling: SpellingLookup;
  add(p: Paper): void;
  file: LookupFile | null;
}

function heapActive(t: LookupTables): Active {
  return {
    suggest: (q) => t.suggest.suggest(q),
    spelling: t.spelling,
    add: (p) => addLookupPaper(t, p),
    file: null,
  };
}

/** The file's tables merged with in-memory ones for papers changed since it was built. */
function fileActive(f: LookupFile, stats: LookupStats, onDamage: (err: SnapshotDamaged) => void): Active {
  const delta: LookupTables = {
    suggest: new SuggestIndex(categoryNames(), f.base),
    spelling: new SpellingVocabulary(1),
  };
  const suggest = mergedSuggest(f, delta.suggest);
  const spelling = mergedSpelling(f, delta.spelling);
  // A damaged block met by a correction: no correction for this query (the tables are rebuilt for the next).
  const guarded = <T>(work: () => T, none: T): T => {
    try {
      return work();
    } catch (err) {
      if (!(err instanceof SnapshotDamaged)) throw err;
      onDamage(err);
      return none;
    }
  };
  return {
    suggest: (q) => suggestFrom(suggest, q),
    spelling: {
      correct: (w) => guarded(() => correctWith(spelling, w), null),
      count: (w) => guarded(() => spelling.countOf(foldWord(w)), 0),
    },
    add(p) {
      addLookupPaper(delta, p);
      stats.deltaPapers = delta.suggest.papers;
    },
    file: f,
  };
}

const isMissing = (err: unknown): boolean =>
  err instanceof Error && (err as NodeJS.ErrnoException).code === 'ENOENT';
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** A promise settled by `next()`, which also makes the one to wait for after it. */
interface Signal {
  readonly promise: Promise<void>;
  next(): Signal;
}

function signal(): Signal {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return {
    promise,
    next() {
      resolve();
      return signal();
    },
  };
}

/** The tables on this thread: opened from the lookup file, or built in paced slices of the event loop. */
function createLocalLookup(store: Store, indexes: SearchIndexes, opts: SearchLookupOptions): SearchLookup {
  const file = opts.file ?? null;
  const log = opts.log ?? { info: (): void => undefined, warn: (): void => undefined };
  const stats: LookupStats = { builds: 0, opens: 0, deltaPapers: 0 };
  let active: Active | null = null;
  let opening: Promise<Active> | null = null;
  /** Bumped when the tables are dropped, so an opening begun before is not adopted after. */
  let generation = 0;
  /** Papers changed since the tables took them, oldest first; `queued` counts those ever put in, `taken` those out. */
  const pending = new Set<string>();
  let queued = 0;
  let taken = 0;
  const dropPending = (): void => {
    taken += pending.size;
    pending.clear();
  };
  indexes.onPapersChanged((ids) => {
    if (active === null && opening === null) return;
    if (ids === null) {
      active = null;
      opening = null;
      generation++;
      dropPending();
    } else
      for (const id of ids) {
        if (pending.has(id)) continue;
        pending.add(id);
        queued++;
      }
  });

  /** Adds the papers changed since `seq` (the file's build) to `a`; returns how many. */
  async function replay(seq: number, a: Active): Promise<number> {
    dropPending();
    let at = seq;
    let n = 0;
    for (;;) {
      const changes = await store.papers.changesSince(at, REPLAY_PAGE);
      if (changes.length === 0) return n;
      const ids = [...new Set(changes.filter((c) => c.op === 'upsert').map((c) => c.paperId))];
      for (const p of await store.papers.getMany(ids)) a.add(p);
      n += ids.length;
      at = changes[changes.length - 1]?.seq ?? at;
    }
  }

  async function openFile(path: string): Promise<Active> {
    const f = openLookupFile(path);
    const a = fileActive(f, stats, (err) => refuse(a, err));
    const changed = await replay(f.seq, a);
    stats.opens++;
    log.info(`suggestion tables: opened ${path} (${f.papers} papers, ${changed} changed since)`);
    return a;
  }

  async function open(): Promise<Active> {
    if (file !== null)
      try {
        if (opts.fileAbove !== undefined && opts.fileAbove > 0) {
          const f = openLookupFile(file);
          const small = f.papers <= opts.fileAbove;
          f.close();
          if (small) {
            log.info(
              `suggestion tables: building them in memory (${f.papers} papers, at most ${opts.fileAbove} answer faster from memory)`,
            );
            return await buildAndSave(); // at most `fileAbove` papers: kept in memory, not written
          }
        }
        return await openFile(file);
      } catch (err) {
        if (!(err instanceof SnapshotDamaged) && !isMissing(err)) throw err;
        const what = isMissing(err) ? `${file} is missing` : message(err);
        log.warn(`suggestion tables: ${what}; building them from the store in the background`);
      }
    return buildAndSave();
  }

  /** Builds the tables over the store in paced slices; with a file, writes it and answers from it after. */
  async function buildAndSave(): Promise<Active> {
    stats.builds++;
    const t0 = performance.now();
    // Built while requests arrive: adding a page of papers took 0.3–1.6 s in one block (docs/BENCHMARKS.md,
    // library import), so the work runs in short slices with turns between.
    const built = await buildLookupTables(store, createPacer());
    const heap = heapActive(built.tables);
    if (file === null || built.tables.suggest.papers <= (opts.fileAbove ?? 0)) {
      dropPending();
      return heap;
    }
    try {
      saveLookupTables(built, file);
      log.info(
        `suggestion tables: wrote ${file} (${built.tables.suggest.papers} papers in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
      );
      // The file answers from here: the tables just built are dropped (their memory goes back).
      return await openFile(file);
    } catch (err) {
      log.warn(
        `suggestion tables: could not write or reopen ${file} (${message(err)}); keeping them in memory`,
      );
      dropPending();
      return heap;
    }
  }

  /** A block of the file failed its check: it is rebuilt from the store (once per damaged file). */
  function refuse(a: Active, err: SnapshotDamaged): void {
    if (active !== a) return;
    log.warn(`suggestion tables: ${err.message}; rebuilding them from the store`);
    active = null;
    generation++;
    opening = buildAndSave();
    opening.catch(() => (opening = null));
  }

  /** Checks the file's blocks a slice at a time after opening it, so damage is found before a lookup meets it. */
  async function checkInBackground(a: Active): Promise<void> {
    const f = a.file;
    if (f === null) return;
    const pace = createPacer();
    try {
      // Read and checked on a worker thread in large reads (h27c); what it could not check is checked here after.
      const damage = await checkSectionsInWorker(f.pagedSections());
      if (damage !== null) throw damage;
      while (active === a && f.checkAhead(CHECK_STEP)) await pace();
    } catch (err) {
      if (err instanceof SnapshotDamaged) refuse(a, err);
    }
  }

  let catching: Promise<void> | null = null;
  /** Settles when the catch-up under way has taken another page (or ended); replaced each time. */
  let pageTaken = signal();
  /**
   * Adds the papers changed since the last call to `a`, a page at a time in paced slices of the event loop: at 2.7M
   * papers each costs about 0.3 ms against the lookup file, and 10,001 new ones added at once held every request
   * 2.8 s (docs/BENCHMARKS.md "#23 … lookup tables caught up in slices"). Calls while one runs share it. A call
   * returns once the papers pending when it was made are in: with papers arriving all the while (an import beside
   * serve) the catch-up runs on behind it, and a search that waited for all of it waited as long as the import.
   */
  async function catchUp(a: Active): Promise<Active> {
    if (pending.size === 0 && catching === null) return a;
    const target = queued;
    let run = catching;
    if (run === null) {
      run = catching = (async () => {
        const pace = createPacer();
        try {
          while (pending.size > 0) {
            const ids = [...pending].slice(0, CATCH_UP_PAGE);
            for (const id of ids) pending.delete(id);
            for (const p of await store.papers.getMany(ids)) {
              a.add(p);
              await pace();
            }
            taken += ids.length;
            pageTaken = pageTaken.next();
          }
        } finally {
          catching = null;
          pageTaken = pageTaken.next();
        }
      })();
      // A caller that left before the end does not see a failure; the next read of a damaged file meets it again.
      run.catch(() => undefined);
    }
    // Ends with the run (a failure thrown here as before), or once those pending at the call are taken.
    while (taken < target && catching === run) await Promise.race([run, pageTaken.promise]);
    if (catching !== run) await run;
    return a;
  }

  async function ready(): Promise<void> {
    await tables().catch(() => {
      opening = null;
    });
  }

  async function tables(): Promise<Active> {
    if (active !== null) return catchUp(active);
    const gen = generation;
    opening ??= open();
    const a = await opening;
    if (gen === generation && active === null) {
      active = a;
      opening = null;
      void checkInBackground(a);
    }
    return catchUp(active ?? a);
  }

  return {
    async suggest(query) {
      const a = await tables();
      try {
        return a.suggest(query);
      } catch (err) {
        if (!(err instanceof SnapshotDamaged) || a.file === null) throw err;
        refuse(a, err);
        return (await tables()).suggest(query);
      }
    },
    async spelling(_words, wait) {
      if (wait) return (await tables()).spelling;
      // A correction only offered: the tables as they are, the papers changed since added behind it.
      const a = active;
      if (a === null) return null;
      void catchUp(a).catch((err: unknown) => {
        if (err instanceof SnapshotDamaged) refuse(a, err);
      });
      return a.spelling;
    },
    warm() {
      void ready();
    },
    ready,
    async saveFile(onBuilt) {
      if (file === null) return null;
      const t0 = performance.now();
      const built = await buildLookupTables(store);
      onBuilt?.(built.tables.suggest.papers);
      saveLookupTables(built, file);
      return { papers: built.tables.suggest.papers, seconds: (performance.now() - t0) / 1000 };
    },
    saveFileInWorker(hooks) {
      const databaseUrl = opts.fileWorkerDatabaseUrl;
      if (file === null || databaseUrl === undefined) return null;
      return saveLookupFileInWorker({ databaseUrl, file }, hooks);
    },
    stats: () => ({ ...stats }),
    async close() {},
  };
}

/**
 * The tables on a worker thread (lookup.worker.ts). Changes are posted to it as the indexes see them, ahead of
 * any question asked after, so answers are as fresh as on this thread. Should the worker fail (its store cannot
 * be opened, it dies), the tables are built here instead and questions still waiting are answered from them.
 */
function createWorkerLookup(
  job: LookupJob,
  indexes: SearchIndexes,
  local: SearchLookup,
  onFailed: ((reason: string) => void) | undefined,
): SearchLookup {
  let worker: Worker | null = null;
  let usable = true;
  let built = false;
  let nextId = 1;
  const calls = new Map<number, { settle(reply: LookupReply): void; instead(): void }>();
  /** `ready` callers waiting for the worker's tables (or, after a fallback, for this thread's). */
  const waiting: (() => void)[] = [];
  const settleReady = (): void => {
    for (const resume of waiting.splice(0)) resume();
  };
  const post = (m: LookupRequest): void => worker?.postMessage(m);
  // Only a question being waited for keeps the process alive, never the worker by itself.
  const holdWhileAsked = (): void => {
    if (calls.size > 0) worker?.ref();
    else worker?.unref();
  };

  indexes.onPapersChanged((ids) => {
    if (worker === null) return;
    if (ids === null) {
      built = false;
      post({ type: 'rebuild' });
    } else post({ type: 'changed', ids: [...ids] });
  });

  function fallBack(reason: string): void {
    if (!usable) return;
    usable = false;
    built = false;
    const w = worker;
    worker = null;
    void w?.terminate();
    onFailed?.(reason);
    void local.ready().then(settleReady);
    const asked = [...calls.values()];
    calls.clear();
    for (const call of asked) call.instead();
  }

  function start(): Worker | null {
    if (!usable) return null;
    if (worker !== null) return worker;
    const w = startTsWorker(WORKER_URL, { workerData: job });
    worker = w;
    w.unref();
    w.on('message', (m: LookupReply) => {
      if (m.type === 'built') {
        built = true;
        settleReady();
      } else if (m.type === 'failed' && m.id === null) fallBack(m.message);
      else if (m.id !== null) {
        const call = calls.get(m.id);
        calls.delete(m.id);
        holdWhileAsked();
        call?.settle(m);
      }
    });
    w.on('error', (err) => fallBack(err.message));
    w.on('exit', (code) => {
      if (worker === w) fallBack(`the worker stopped (exit code ${code})`);
    });
    return w;
  }

  function ask<T>(
    request: (id: number) => LookupRequest,
    answer: (m: LookupReply) => T,
    instead: () => Promise<T>,
  ): Promise<T> {
    const w = start();
    if (w === null) return instead();
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      calls.set(id, {
        settle: (m) =>
          m.type === 'failed'
            ? reject(new AppError('INTERNAL', `suggestion tables: ${m.message}`))
            : resolve(answer(m)),
        instead: () => void instead().then(resolve, reject),
      });
      holdWhileAsked();
      w.postMessage(request(id));
    });
  }

  return {
    suggest(query) {
      return ask(
        (id) => ({ type: 'suggest', id, query }),
        (m) => (m.type === 'suggestions' ? m.suggestions : []),
        () => local.suggest(query),
      );
    },
    async spelling(words, wait) {
      if (!usable) return local.spelling(words, wait);
      if (!wait && !built) return null;
      if (words.length === 0) return answeredSpelling([]);
      return ask(
        (id) => ({ type: 'spell', id, words: [...words] }),
        (m) => answeredSpelling(m.type === 'spelling' ? m.answers : []),
        () => local.spelling(words, wait),
      );
    },
    warm() {
      if (start() === null) local.warm();
    },
    ready() {
      if (start() === null) return local.ready();
      if (built) return Promise.resolve();
      return new Promise<void>((resolve) => waiting.push(resolve));
    },
    saveFile: (onBuilt) => local.saveFile(onBuilt),
    saveFileInWorker: (hooks) => local.saveFileInWorker(hooks),
    stats: () => local.stats(),
    async close() {
      const w = worker;
      worker = null;
      usable = false;
      for (const call of calls.values()) call.settle({ type: 'failed', id: 0, message: 'closed' });
      calls.clear();
      settleReady();
      // The worker only reads: ending it mid-build loses nothing (a build at 2.7M papers is not waited for).
      await w?.terminate();
    },
  };
}
