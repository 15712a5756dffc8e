// The lexical snapshot written anew on a worker thread (lexical-rewrite.worker.ts), for `SearchIndexes`' background
// rewrites in serve.
import { rmSync } from 'node:fs';
import type { LexicalChanges } from '../../index/lexical/lexical-index.ts';
import { onWorkerFailure, startTsWorker } from '../../platform/index.ts';
import type { LexicalRewriteJob, LexicalRewriteReply } from './lexical-rewrite.worker.ts';

const WORKER_URL = new URL('./lexical-rewrite.worker.ts', import.meta.url).href;

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
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const worker = startTsWorker(WORKER_URL, { workerData: job });
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      // Removed once the thread has stopped: it may be writing them until then.
      void worker.terminate().finally(() => {
        for (const path of [out, `${out}.postings-tmp`, `${out}.sequences-tmp`])
          rmSync(path, { force: true });
        reject(new Error(why));
      });
    };
    const onAbort = (): void => fail('stopped');
    if (opts.signal?.aborted === true) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: LexicalRewriteReply) => {
      if (m.type === 'failed') return fail(m.message);
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(m.documents);
    });
    onWorkerFailure(worker, fail);
  });
}
