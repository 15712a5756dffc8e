// A second thread for heavy lexical searches: it opens the snapshot file the serving index reads; a heavy search is
// cut into parts (`LexicalIndex.splitPlan`) that this thread and the helper take one at a time from a shared
// counter until none is left, and the parts' lists, merged, are the one search's answer.
import type { Worker } from 'node:worker_threads';
import type { ScoredId } from '../../domain/scored.ts';
import {
  mergeSplitParts,
  searchSplitParts,
  SPLIT_MIN_POSTINGS,
  SPLIT_PARTS,
  type LexicalIndex,
  type LexicalMemoryLimits,
  type SearchOptions,
  type SplitPart,
} from '../../index/lexical/lexical-index.ts';
import type { ParsedQuery } from '../../index/lexical/query.ts';
import { SHARED_TOP_MAX_K, SharedTop } from '../../index/lexical/shared-top.ts';
import { startTsWorker } from '../../platform/index.ts';
import type { LexicalHelperJob, LexicalHelperReply, LexicalHelperRequest } from './lexical-helper.worker.ts';

const WORKER_URL = new URL('./lexical-helper.worker.ts', import.meta.url).href;

/** How a helper's searches went, for logs and tests. */
export interface LexicalHelperStats {
  /** The thread has opened the file and takes searches. */
  ready: boolean;
  /** Searches answered in parts. */
  split: number;
  /** Of their parts, those the helper thread answered. */
  helperParts: number;
  /** Of their parts, those this thread answered. */
  ownParts: number;
  /**
   * Posting lists the helper thread read from the file itself (its warm-up, filter masks, and lists the serving
   * index did not keep yet); the others are lent to it from the serving index's cache, in shared memory.
   */
  helperListReads: number;
  /** Why the helper stopped taking searches, or null. */
  failed: string | null;
}

export interface LexicalHelper {
  /** The snapshot file the helper thread opened. */
  readonly file: string;
  /**
   * `index.search(query, options)`, cut into parts when the helper is ready, `index` still searches the lists of
   * `file` (`splitFile`; papers added and removed since are fine: the helper takes on the removals and statistics,
   * and this thread answers the papers added) and the search is worth cutting (`splitPlan`); else answered here whole.
   * The helper serves one index: the first it cut a search of. The same answer either way; a helper
   * that fails mid-search leaves the search to be answered here.
   */
  search(index: LexicalIndex, query: string | ParsedQuery, options?: SearchOptions): Promise<ScoredId[]>;
  stats(): LexicalHelperStats;
  /** Settles once the thread has opened the file (true) or cannot take searches (false: failed or closed). */
  whenReady(): Promise<boolean>;
  /** Ends the thread; later searches are answered whole. */
  close(): Promise<void>;
}

export interface LexicalHelperOptions {
  /** Told once if the thread cannot open the file or stops. */
  onFailed?: (reason: string) => void;
  /** Searches whose lists hold fewer postings are answered whole (default SPLIT_MIN_POSTINGS). */
  minPostings?: number;
  /** Parts a search is cut into (default SPLIT_PARTS). */
  parts?: number;
  /**
   * Every block of `file` was checked by the serving index (its start-up checks): the thread checks none again.
   * Default false: it checks them all as it opens the file.
   */
  checkedElsewhere?: boolean;
}

/** The helper thread's own list cache (see `job.memory`). */
const HELPER_LIST_CACHE_BYTES = 8 << 20;

/** Searches that can be in flight at once with the helper (more are answered whole meanwhile). */
const SLOTS = 64;

/**
 * Starts the helper thread on `file` with the serving index's memory bounds but for the list cache (it opens the
 * file itself: about a second at 2.7M papers, searches meanwhile answered whole; the lists its searches read are
 * lent to it from the serving index's cache).
 * @example const helper = startLexicalHelper(index.splitFile, { postingsCacheBytes: 256 << 20 });
 */
export function startLexicalHelper(
  file: string,
  memory: LexicalMemoryLimits,
  opts: LexicalHelperOptions = {},
): LexicalHelper {
  const { onFailed, minPostings = SPLIT_MIN_POSTINGS, parts = SPLIT_PARTS, checkedElsewhere = false } = opts;
  const job: LexicalHelperJob = {
    file,
    // Its searches' lists are lent to it (`splitLists`): its own cache only serves its warm-up.
    memory: { ...memory, postingsCacheBytes: HELPER_LIST_CACHE_BYTES, sharedLists: false },
    counters: new SharedArrayBuffer(SLOTS * 4),
    tops: new SharedArrayBuffer(SLOTS * SharedTop.slotBytes),
    checkedElsewhere,
  };
  const counters = new Int32Array(job.counters);
  const tops = Array.from({ length: SLOTS }, (_, slot) => new SharedTop(job.tops, slot));
  const freeSlots = Array.from({ length: SLOTS }, (_, i) => SLOTS - 1 - i);
  let worker: Worker | null = startTsWorker(WORKER_URL, { workerData: job });
  let ready = false;
  let settleReady: (ok: boolean) => void = () => undefined;
  const readyPromise = new Promise<boolean>((resolve) => (settleReady = resolve));
  let failed: string | null = null;
  let split = 0;
  let helperParts = 0;
  let ownParts = 0;
  let helperListReads = 0;
  let nextId = 1;
  // The index whose searches are shared (one a helper: its removals are sent once each, in order), and how many of
  // them the thread has been sent.
  let owner: LexicalIndex | null = null;
  let removalsSent = 0;
  const calls = new Map<number, { resolve(parts: SplitPart[]): void; reject(err: Error): void }>();
  // Only a search waiting for its other part keeps the process alive, never the thread by itself.
  const holdWhileAsked = (): void => {
    if (calls.size > 0) worker?.ref();
    else worker?.unref();
  };
  holdWhileAsked();

  function stop(reason: string | null): void {
    const w = worker;
    worker = null;
    ready = false;
    settleReady(false);
    if (reason !== null && failed === null) {
      failed = reason;
      onFailed?.(reason);
    }
    const waiting = [...calls.values()];
    calls.clear();
    for (const call of waiting) call.reject(new Error(reason ?? 'the lexical helper was closed'));
    void w?.terminate();
  }

  const w = worker;
  w.on('message', (m: LexicalHelperReply) => {
    if (m.type === 'ready') {
      ready = true;
      settleReady(true);
    } else if (m.type === 'failed' && m.id === null) stop(m.message);
    else if (m.id !== null) {
      const call = calls.get(m.id);
      calls.delete(m.id);
      holdWhileAsked();
      if (m.type === 'parts') {
        helperListReads = m.listReads;
        call?.resolve(m.parts);
      } else call?.reject(new Error(m.message));
    }
  });
  w.on('error', (err) => stop(err.message));
  w.on('exit', (code) => {
    if (worker === w) stop(`the thread stopped (exit code ${code})`);
  });

  function ask(request: Omit<LexicalHelperRequest, 'id'>): Promise<SplitPart[]> {
    const id = nextId++;
    return new Promise<SplitPart[]>((resolve, reject) => {
      calls.set(id, { resolve, reject });
      holdWhileAsked();
      worker?.postMessage({ ...request, id });
    });
  }

  return {
    file,
    async search(index, query, options = {}) {
      const plan =
        ready &&
        worker !== null &&
        freeSlots.length > 0 &&
        index.splitFile === file &&
        (owner === null || owner === index)
          ? index.splitPlan(query, options, minPostings, parts)
          : null;
      if (plan === null) return index.search(query, options);
      owner = index;
      const removed = index.splitRemovals(removalsSent);
      removalsSent += removed.length;
      const partOptions = {
        ...(options.blockMax !== undefined ? { blockMax: options.blockMax } : {}),
        ...(options.longTerms !== undefined ? { longTerms: options.longTerms } : {}),
        ...(options.longTermsBy !== undefined ? { longTermsBy: options.longTermsBy } : {}),
      };
      const slot = freeSlots.pop()!;
      // The slot is reused only once the helper has answered: it reads the counter only before it answers.
      Atomics.store(counters, slot, 0);
      // Both threads prune by the k-th best score either has found (a search of more results keeps its own).
      const shared = plan.k <= SHARED_TOP_MAX_K ? tops[slot]!.reset(plan.k) : null;
      // The parts of the file's documents come from the counter both threads share, then this thread's own: the
      // documents added since the file was read, which the helper does not hold.
      const partCount = plan.cuts.length - 1;
      let ownNext = plan.shared;
      const take = (): number => {
        const part = Atomics.add(counters, slot, 1);
        if (part < plan.shared) return part;
        return ownNext < partCount ? ownNext++ : -1;
      };
      // Asked first, so the other thread works while this one answers parts of its own.
      // The lists this index keeps, in shared memory: the helper reads only the others, and keeps none of its own.
      const lists = index.splitLists(plan);
      const helper = ask({
        query: plan.query,
        k: plan.k,
        options: partOptions,
        cuts: [...plan.cuts],
        shared: plan.shared,
        weights: plan.weights.map(([t, w]): [number, number] => [t, w]),
        stats: plan.stats,
        removed,
        slot,
        shareTop: shared !== null,
        lists,
      });
      // A failure here (bad input) is the search's; the helper's answer is then not waited for.
      helper.catch(() => undefined);
      let own: SplitPart[];
      try {
        own = searchSplitParts(index, plan, partOptions, take, shared);
      } finally {
        // No part is left to take once this thread is done (or failed): the helper answers soon, or has.
        void helper.then(
          () => freeSlots.push(slot),
          () => freeSlots.push(slot),
        );
      }
      // When this thread took every shared part (the helper was busy or slow to start), there is nothing to wait for.
      let theirs: SplitPart[] = [];
      if (own.filter(([part]) => part < plan.shared).length < plan.shared)
        try {
          theirs = await helper;
        } catch {
          return index.search(query, options);
        }
      split++;
      ownParts += own.length;
      helperParts += theirs.length;
      return mergeSplitParts([...own, ...theirs], plan.k);
    },
    stats: () => ({ ready, split, helperParts, ownParts, helperListReads, failed }),
    whenReady: () => readyPromise,
    async close() {
      stop(null);
    },
  };
}
