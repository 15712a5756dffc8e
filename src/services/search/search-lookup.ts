// The spelling vocabulary and suggestion tables of one process, built from the store once and kept in step.
import { Worker } from 'node:worker_threads';
import { AppError } from '../../errors.ts';
import type { Suggestion } from '../../index/lookup/suggest-index.ts';
import { createPacer, tsWorkerSource } from '../../platform/index.ts';
import type { Store } from '../../store/store.ts';
import {
  addLookupPaper,
  answeredSpelling,
  emptyLookupTables,
  fillLookupTables,
  type LookupTables,
  type SpellingLookup,
} from './lookup-tables.ts';
import type { LookupJob, LookupReply, LookupRequest } from './lookup.worker.ts';
import type { SearchIndexes } from './search-indexes.ts';

export type { LookupTables, SpellingLookup } from './lookup-tables.ts';

const WORKER_URL = new URL('./lookup.worker.ts', import.meta.url).href;
const BOOTSTRAP = tsWorkerSource(WORKER_URL);

export interface SearchLookup {
  /** Suggestions for a half-typed query; the tables are built first when they are not yet. */
  suggest(query: string): Promise<Suggestion[]>;
  /**
   * What the vocabulary knows of `words` (every word a correction will ask about). With `wait`, the tables are
   * built first when they are not yet; without, null until they are.
   */
  spelling(words: readonly string[], wait: boolean): Promise<SpellingLookup | null>;
  /** Starts building in the background (serve calls it so the first misspelling does not wait). */
  warm(): void;
  /** Stops a worker thread holding the tables (nothing to do for tables on this thread). */
  close(): Promise<void>;
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
}

/**
 * Follows the same change log as the search indexes: changed papers are re-read and added (a removed or
 * rewritten paper's old words keep their counts until the next rebuild, which only makes those words look
 * a little more common); a full index rebuild rebuilds the tables on next use.
 * @example const lookup = createSearchLookup(store, indexes); (await lookup.suggest('graph neu'))[0]?.label
 */
export function createSearchLookup(
  store: Store,
  indexes: SearchIndexes,
  opts: SearchLookupOptions = {},
): SearchLookup {
  const local = createLocalLookup(store, indexes);
  if (opts.databaseUrl === undefined) return local;
  return createWorkerLookup({ databaseUrl: opts.databaseUrl }, indexes, local, opts.onWorkerFailed);
}

/** The tables on this thread, built in paced slices of the event loop. */
function createLocalLookup(store: Store, indexes: SearchIndexes): SearchLookup {
  let building: Promise<LookupTables> | null = null;
  let built: LookupTables | null = null;
  const pending = new Set<string>();
  indexes.onPapersChanged((ids) => {
    if (built === null && building === null) return;
    if (ids === null) {
      built = null;
      building = null;
      pending.clear();
    } else for (const id of ids) pending.add(id);
  });

  async function build(): Promise<LookupTables> {
    const t = emptyLookupTables();
    // Built while requests arrive: adding a page of papers took 0.3–1.6 s in one block (docs/BENCHMARKS.md,
    // library import), so the work runs in short slices with turns between.
    await fillLookupTables(t, store, createPacer());
    pending.clear();
    built = t;
    return t;
  }

  async function catchUp(t: LookupTables): Promise<LookupTables> {
    if (pending.size === 0) return t;
    const ids = [...pending];
    pending.clear();
    for (const p of await store.papers.getMany(ids)) addLookupPaper(t, p);
    return t;
  }

  async function tables(): Promise<LookupTables> {
    if (built !== null) return catchUp(built);
    building ??= build();
    return catchUp(await building);
  }

  return {
    async suggest(query) {
      return (await tables()).suggest.suggest(query);
    },
    async spelling(_words, wait) {
      if (wait) return (await tables()).spelling;
      return built === null ? null : (await catchUp(built)).spelling;
    },
    warm() {
      building ??= build();
      building.catch(() => {
        building = null;
      });
    },
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
    local.warm();
    const waiting = [...calls.values()];
    calls.clear();
    for (const call of waiting) call.instead();
  }

  function start(): Worker | null {
    if (!usable) return null;
    if (worker !== null) return worker;
    const w = new Worker(BOOTSTRAP, { eval: true, workerData: job });
    worker = w;
    w.unref();
    w.on('message', (m: LookupReply) => {
      if (m.type === 'built') built = true;
      else if (m.type === 'failed' && m.id === null) fallBack(m.message);
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
    async close() {
      const w = worker;
      worker = null;
      usable = false;
      for (const call of calls.values()) call.settle({ type: 'failed', id: 0, message: 'closed' });
      calls.clear();
      // The worker only reads: ending it mid-build loses nothing (a build at 2.7M papers is not waited for).
      await w?.terminate();
    },
  };
}
