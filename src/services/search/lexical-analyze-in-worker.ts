// Papers analyzed on another core: a rebuild's, read by the worker itself and handed over page by page as term
// ids; and a sync's, sent to it a chunk at a time and handed back with each chunk's own vocabulary.
import { analyzeDoc } from '../../index/lexical/analyzed-doc.ts';
import type { AnalyzedDoc, LexicalDoc } from '../../index/lexical/lexical-index.ts';
import { onWorkerFailure, pagesFromWorker, startTsWorker } from '../../platform/index.ts';

/** What the worker is given. */
export interface AnalyzeJob {
  databaseUrl: string;
  pageSize: number;
  /** Pages the worker may send ahead of the index build (bounds memory). */
  credit: number;
}

/**
 * One page of analyzed papers, in store order. Document i has `counts[4i..4i+3]` term ids for its title,
 * abstract, authors and tags, one after another in `terms`. `newTerms` are the terms first seen in this page,
 * numbered from `firstTerm` on.
 */
export interface AnalyzedPage {
  ids: string[];
  dates: Int32Array;
  counts: Uint32Array;
  terms: Int32Array;
  newTerms: string[];
  firstTerm: number;
}

const WORKER_URL = new URL('./lexical-analyze.worker.ts', import.meta.url).href;
const SYNC_WORKER_URL = new URL('./lexical-sync-analyze.worker.ts', import.meta.url).href;

/**
 * `docs` analyzed in order, their terms numbered through `intern`, as one page (`newTerms` and `firstTerm` left to
 * the caller, which knows its vocabulary).
 */
export function analyzePage(
  ids: string[],
  docs: readonly LexicalDoc[],
  intern: (term: string) => number,
): Omit<AnalyzedPage, 'newTerms' | 'firstTerm'> {
  const n = docs.length;
  const dates = new Int32Array(n);
  const counts = new Uint32Array(n * 4);
  let terms = new Int32Array(1 << 14);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const doc = analyzeDoc(docs[i]!, intern);
    dates[i] = doc.date;
    const parts = [...doc.fields, doc.tags];
    let size = 0;
    for (let f = 0; f < 4; f++) size += counts[i * 4 + f] = parts[f]!.length;
    if (at + size > terms.length) {
      const grown = new Int32Array(Math.max(terms.length * 2, at + size));
      grown.set(terms.subarray(0, at));
      terms = grown;
    }
    for (const part of parts) for (const t of part) terms[at++] = t;
  }
  return { ids, dates, counts, terms: terms.slice(0, at) };
}

/** A worker thread analyzing a sync's changed papers (`startSyncAnalyzer`). */
export interface SyncAnalyzer {
  /**
   * `docs` analyzed on the worker, in order: a page whose term ids are the chunk's own (`newTerms` holds every
   * term it uses, numbered from 0 in first-seen order). Chunks are answered in the order asked.
   */
  analyze(docs: readonly LexicalDoc[]): Promise<AnalyzedPage>;
  close(): Promise<void>;
}

/** The longest a sync waits for one chunk's analysis (250 papers take about 25 ms) before it analyzes them itself. */
const ANSWER_MS = 30_000;

/** What the sync worker answers for one chunk. */
export type SyncAnalyzeReply = { seq: number; page: AnalyzedPage } | { seq: number; error: string };

/**
 * Starts a worker thread that analyzes the papers a sync applies (#23: analysis was about 60% of the serving thread's
 * work for 10,001 new papers at 2.7M), so the serving thread only numbers each chunk's terms and adds them.
 */
export function startSyncAnalyzer(): SyncAnalyzer {
  const worker = startTsWorker(SYNC_WORKER_URL);
  const waiting = new Map<number, { resolve: (p: AnalyzedPage) => void; reject: (e: Error) => void }>();
  let next = 0;
  let failed: Error | null = null;
  worker.on('message', (m: SyncAnalyzeReply) => {
    const w = waiting.get(m.seq);
    waiting.delete(m.seq);
    if ('page' in m) w?.resolve(m.page);
    else w?.reject(new Error(m.error));
  });
  onWorkerFailure(worker, (why) => {
    failed ??= new Error(`analyzing papers on a worker thread failed: ${why}`);
    for (const w of waiting.values()) w.reject(failed);
    waiting.clear();
  });
  return {
    analyze(docs) {
      if (failed !== null) return Promise.reject(failed);
      const seq = next++;
      const answer = new Promise<AnalyzedPage>((resolve, reject) => {
        // A thread that stops answering must not hold the sync (and every search waiting for it) for good.
        const timer = setTimeout(() => {
          waiting.delete(seq);
          reject(new Error(`analyzing papers on a worker thread gave no answer in ${ANSWER_MS / 1000} s`));
        }, ANSWER_MS);
        timer.unref();
        waiting.set(seq, {
          resolve: (page) => (clearTimeout(timer), resolve(page)),
          reject: (err) => (clearTimeout(timer), reject(err)),
        });
      });
      worker.postMessage({ seq, docs });
      return answer;
    },
    async close() {
      failed ??= new Error('closed');
      await worker.terminate();
    },
  };
}

/**
 * Every stored paper of `databaseUrl`, analyzed on another thread (its own connection), `pageSize` at a time.
 * At most `ahead` pages wait; stopping early (break, a throw) terminates the worker.
 */
export async function* analyzedPagesInWorker(
  databaseUrl: string,
  pageSize: number,
  ahead = 2,
): AsyncGenerator<AnalyzedPage> {
  const job: AnalyzeJob = { databaseUrl, pageSize, credit: ahead };
  const worker = startTsWorker(WORKER_URL, { workerData: job });
  // Credit before use: the worker analyzes the next page while the index takes this one.
  yield* pagesFromWorker<AnalyzedPage>(worker, 'analyzing papers', true);
}

/**
 * The documents of a page, one at a time (views into its arrays, valid while the page is). With `remap` (the id in
 * the receiving vocabulary of each of the page's own term ids), the terms are renumbered into fresh arrays.
 */
export function* analyzedDocs(page: AnalyzedPage, remap?: Int32Array): Generator<AnalyzedDoc> {
  const { counts } = page;
  const terms = remap === undefined ? page.terms : page.terms.map((t) => remap[t]!);
  let at = 0;
  const take = (n: number): Int32Array => terms.subarray(at, (at += n));
  for (let i = 0; i < page.ids.length; i++) {
    const fields = [take(counts[i * 4]!), take(counts[i * 4 + 1]!), take(counts[i * 4 + 2]!)] as const;
    yield { id: page.ids[i]!, date: page.dates[i]!, fields, tags: take(counts[i * 4 + 3]!) };
  }
}
