// Snapshot files written anew on worker threads (lexical-rewrite.worker.ts, vector-rewrite.worker.ts), for
// `SearchIndexes`' background rewrites in serve: the serving thread goes on answering meanwhile.
import { rmSync } from 'node:fs';
import type { LexicalChanges } from '../../index/lexical/lexical-index.ts';
import type { RowsRewrite } from '../../index/vectors/index.ts';
import { onWorkerFailure, startTsWorker } from '../../platform/index.ts';
import type { LexicalRewriteJob } from './lexical-rewrite.worker.ts';
import type { VectorRewriteJob } from './vector-rewrite.worker.ts';

/** What a rewrite thread posts once: what the new file holds, or why it failed. */
export type RewriteReply = { type: 'done'; count: number } | { type: 'failed'; message: string };

const LEXICAL_WORKER = new URL('./lexical-rewrite.worker.ts', import.meta.url).href;
const VECTOR_WORKER = new URL('./vector-rewrite.worker.ts', import.meta.url).href;

/** Lists the rewrite thread keeps while it reads them: enough for the merge and the bounds pass to share reads. */
const REWRITE_LIST_CACHE_BYTES = 32 << 20;

/**
 * Writes the index `changes` describe (the file it names with those changes applied) to `out` on a worker thread;
 * resolves with its live papers once the file is complete. Rejects (and removes `out`) when the thread fails or
 * `signal` aborts it.
 * @example await rewriteLexicalInWorker(index.changesSinceFile()!, '/data/idx/lexical-rewrite.bin');
 */
export function rewriteLexicalInWorker(
  changes: LexicalChanges,
  out: string,
  opts: { checkedElsewhere: boolean; signal?: AbortSignal },
): Promise<number> {
  const job: LexicalRewriteJob = {
    changes,
    out,
    checkedElsewhere: opts.checkedElsewhere,
    listCacheBytes: REWRITE_LIST_CACHE_BYTES,
  };
  return runRewrite(LEXICAL_WORKER, job, [out, `${out}.postings-tmp`, `${out}.sequences-tmp`], opts.signal);
}

/**
 * Writes the vector sidecar `rewrite` describes (`VectorIndex.rowsRewrite`: the file the rows are read from, with
 * the changes since applied) to `out` on a worker thread; resolves with its rows once the file is complete. Rejects
 * (and removes `out`) when the thread fails, the file is damaged, or `signal` aborts it.
 * @example await rewriteVectorsInWorker(index.rowsRewrite()!, '/data/idx/vectors-rewrite.bin');
 */
export function rewriteVectorsInWorker(
  rewrite: RowsRewrite,
  out: string,
  opts: { signal?: AbortSignal } = {},
): Promise<number> {
  const job: VectorRewriteJob = { rewrite, out };
  // writeSidecar's temporary file is named after the process (`out.<pid>.tmp`).
  return runRewrite(VECTOR_WORKER, job, [out, `${out}.${process.pid}.tmp`], opts.signal);
}

/** Runs one rewrite thread with `job`; what it may have written (`leftovers`) is removed when it fails or stops. */
function runRewrite(url: string, job: object, leftovers: string[], signal?: AbortSignal): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const worker = startTsWorker(url, { workerData: job });
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      // Removed once the thread has stopped: it may be writing them until then.
      void worker.terminate().finally(() => {
        for (const path of leftovers) rmSync(path, { force: true });
        reject(new Error(why));
      });
    };
    const onAbort = (): void => fail('stopped');
    if (signal?.aborted === true) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: RewriteReply) => {
      if (m.type === 'failed') return fail(m.message);
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      resolve(m.count);
    });
    onWorkerFailure(worker, fail);
  });
}
