// Worker thread that answers parts of lexical searches cut in parts (`LexicalIndex.splitPlan`), from its own view
// of the snapshot file the serving index was opened from; it takes parts from a counter shared with the serving
// thread, which takes the rest.
import { parentPort, workerData } from 'node:worker_threads';
import {
  openLexicalIndex,
  searchSplitParts,
  type LexicalMemoryLimits,
  type SearchOptions,
  type SplitPart,
  type SplitStats,
} from '../../index/lexical/lexical-index.ts';
import type { ParsedQuery } from '../../index/lexical/query.ts';
import { SharedTop } from '../../index/lexical/shared-top.ts';

export interface LexicalHelperJob {
  /** The snapshot file (lexical.bin) to open: the one the serving index reads, unchanged since it opened it. */
  file: string;
  memory: LexicalMemoryLimits;
  /** The counters of searches in flight, one per slot, shared with the serving thread (Int32Array over it). */
  counters: SharedArrayBuffer;
  /** The scores each search in flight has found so far, one `SharedTop` slot per counter, shared likewise. */
  tops: SharedArrayBuffer;
  /** The serving index has checked every block of the file: none is checked again here. */
  checkedElsewhere: boolean;
}

/**
 * To the worker: search parts of `query` (filters merged in) bounded by `cuts`, taking part numbers from the
 * counter in `slot` (`Atomics.add`) until none is left.
 */
export interface LexicalHelperRequest {
  id: number;
  query: ParsedQuery;
  k: number;
  options: Pick<SearchOptions, 'blockMax' | 'longTerms' | 'longTermsBy'>;
  cuts: number[];
  /** Parts below this one hold the file's documents and are taken here too; the rest are the serving thread's. */
  shared: number;
  /** The plan's terms with their weights, in query order (`SplitPlan.weights`). */
  weights: [term: number, weight: number][];
  /** The serving index's statistics for this search (`SplitPlan.stats`). */
  stats: SplitStats;
  /** The file's documents the serving index removed since the last request (`LexicalIndex.splitRemovals`). */
  removed: number[];
  slot: number;
  /** The search's parts share their scores in the slot's `SharedTop` (reset by the serving thread). */
  shareTop: boolean;
  /** The lists the parts read that the serving index keeps, in shared memory (its `splitLists`): not read here. */
  lists: Map<number, Uint8Array>;
}

/** From the worker. `failed` without an id: the file could not be opened here (no searches are cut). */
export type LexicalHelperReply =
  | { type: 'ready'; documents: number }
  | { type: 'parts'; id: number; parts: SplitPart[]; listReads: number }
  | { type: 'failed'; id: number | null; message: string };

/** The commonest words searched in pairs before the thread says it is ready. */
const WARM_TERMS = 12;

const port = parentPort;
if (port === null) throw new Error('lexical-helper.worker.ts must run as a worker thread');
const job = workerData as LexicalHelperJob;
const counters = new Int32Array(job.counters);
const tops = new Map<number, SharedTop>();
/** The shared scores of `slot`, a view made once per slot. */
const topOf = (slot: number): SharedTop => {
  let top = tops.get(slot);
  if (top === undefined) tops.set(slot, (top = new SharedTop(job.tops, slot)));
  return top;
};
const message = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const post = (reply: LexicalHelperReply): void => port.postMessage(reply);

try {
  // The searches shared with this thread should not pay for first checks of the lists they read, as the serving
  // thread's do not after its start-up checks: blocks it checked are taken as checked (the snapshot file is
  // written once and never changed), else every block is checked now, at open.
  const index = openLexicalIndex(job.file, { checkedElsewhere: job.checkedElsewhere }).limitMemory(
    job.memory,
  );
  // A few searches of the commonest words before the first search is taken, as serve's own warm-up does for its
  // thread: the first readers' long searches would otherwise pay for compiling the search code here.
  const common = index.commonTerms(WARM_TERMS);
  for (let i = 0; i + 1 < common.length; i += 2) index.search(`${common[i]} ${common[i + 1]}`, { k: 100 });
  post({ type: 'ready', documents: index.size });
  port.on('message', (m: LexicalHelperRequest) => {
    try {
      // The serving index's removals and statistics first, so every document here scores as it does there.
      index.adoptSplit(m, m.removed);
      const take = (): number => {
        const part = Atomics.add(counters, m.slot, 1);
        return part < m.shared ? part : -1;
      };
      const shared = m.shareTop ? topOf(m.slot) : null;
      const parts = index.withLentLists(m.lists, () => searchSplitParts(index, m, m.options, take, shared));
      post({ type: 'parts', id: m.id, parts, listReads: index.listReads });
    } catch (err) {
      post({ type: 'failed', id: m.id, message: message(err) });
    }
  });
} catch (err) {
  post({ type: 'failed', id: null, message: message(err) });
}
