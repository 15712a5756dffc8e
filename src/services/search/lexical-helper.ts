// A second thread for heavy lexical searches: it opens the snapshot file the serving index reads and answers the
// documents past a cut while this thread answers the rest (`LexicalIndex.splitPlan`); the two lists, merged, are
// the one search's answer.
import type { Worker } from 'node:worker_threads';
import type { ScoredId } from '../../domain/scored.ts';
import {
  mergeSplitTops,
  SPLIT_MIN_POSTINGS,
  type LexicalIndex,
  type LexicalMemoryLimits,
  type SearchOptions,
} from '../../index/lexical/lexical-index.ts';
import type { ParsedQuery } from '../../index/lexical/query.ts';
import { startTsWorker } from '../../platform/index.ts';
import type { LexicalHelperJob, LexicalHelperReply, LexicalHelperRequest } from './lexical-helper.worker.ts';

const WORKER_URL = new URL('./lexical-helper.worker.ts', import.meta.url).href;

/** How a helper's searches went, for logs and tests. */
export interface LexicalHelperStats {
  /** The thread has opened the file and takes searches. */
  ready: boolean;
  /** Searches answered in two parts. */
  split: number;
  /** Why the helper stopped taking searches, or null. */
  failed: string | null;
}

export interface LexicalHelper {
  /** The snapshot file the helper thread opened. */
  readonly file: string;
  /**
   * `index.search(query, options)`, cut in two when the helper is ready, `index` still reads `file` unchanged and
   * the search is worth cutting (`splitPlan`); else answered here whole. The same answer either way; a helper
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
}

/**
 * Starts the helper thread on `file` with the serving index's memory bounds (it opens the file itself: about a
 * second at 2.7M papers, searches meanwhile answered whole).
 * @example const helper = startLexicalHelper(index.openedFile, { postingsCacheBytes: 256 << 20 });
 */
export function startLexicalHelper(
  file: string,
  memory: LexicalMemoryLimits,
  opts: LexicalHelperOptions = {},
): LexicalHelper {
  const { onFailed, minPostings = SPLIT_MIN_POSTINGS } = opts;
  const job: LexicalHelperJob = { file, memory };
  let worker: Worker | null = startTsWorker(WORKER_URL, { workerData: job });
  let ready = false;
  let settleReady: (ok: boolean) => void = () => undefined;
  const readyPromise = new Promise<boolean>((resolve) => (settleReady = resolve));
  let failed: string | null = null;
  let split = 0;
  let nextId = 1;
  const calls = new Map<number, { resolve(top: ScoredId[]): void; reject(err: Error): void }>();
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
      if (m.type === 'top') call?.resolve(m.top);
      else call?.reject(new Error(m.message));
    }
  });
  w.on('error', (err) => stop(err.message));
  w.on('exit', (code) => {
    if (worker === w) stop(`the thread stopped (exit code ${code})`);
  });

  function ask(request: Omit<LexicalHelperRequest, 'id'>): Promise<ScoredId[]> {
    const id = nextId++;
    return new Promise<ScoredId[]>((resolve, reject) => {
      calls.set(id, { resolve, reject });
      holdWhileAsked();
      worker?.postMessage({ ...request, id });
    });
  }

  return {
    file,
    async search(index, query, options = {}) {
      const plan =
        ready && worker !== null && index.openedFile === file
          ? index.splitPlan(query, options, minPostings)
          : null;
      if (plan === null) return index.search(query, options);
      const { k, query: merged, documents, at } = plan;
      const partOptions = {
        k,
        ...(options.blockMax !== undefined ? { blockMax: options.blockMax } : {}),
        ...(options.longTerms !== undefined ? { longTerms: options.longTerms } : {}),
        ...(options.longTermsBy !== undefined ? { longTermsBy: options.longTermsBy } : {}),
      };
      // Asked first, so the other thread works while this one answers its own part.
      const upper = ask({ query: merged, options: partOptions, from: at, to: documents });
      // A failure here (bad input) is the search's; the other part's answer is then not waited for.
      upper.catch(() => undefined);
      const lower = index.search(merged, { ...partOptions, span: { from: 0, to: at } });
      let top: ScoredId[];
      try {
        top = await upper;
      } catch {
        return index.search(query, options);
      }
      split++;
      return mergeSplitTops(lower, top, k);
    },
    stats: () => ({ ready, split, failed }),
    whenReady: () => readyPromise,
    async close() {
      stop(null);
    },
  };
}
