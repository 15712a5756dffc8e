// A rebuild's papers read and analyzed on another core, handed over page by page as term ids.
import type { AnalyzedDoc } from '../../index/lexical/lexical-index.ts';
import { pagesFromWorker, startTsWorker } from '../../platform/index.ts';

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

/** The documents of a page, one at a time (views into its arrays, valid while the page is). */
export function* analyzedDocs(page: AnalyzedPage): Generator<AnalyzedDoc> {
  const { counts, terms } = page;
  let at = 0;
  const take = (n: number): Int32Array => terms.subarray(at, (at += n));
  for (let i = 0; i < page.ids.length; i++) {
    const fields = [take(counts[i * 4]!), take(counts[i * 4 + 1]!), take(counts[i * 4 + 2]!)] as const;
    yield { id: page.ids[i]!, date: page.dates[i]!, fields, tags: take(counts[i * 4 + 3]!) };
  }
}
