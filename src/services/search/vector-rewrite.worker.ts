// Worker thread that writes serve's vector sidecar anew away from the serving thread (#23): it opens the file the
// serving index reads its rows from and writes a new one with the changes since applied, copying the rows a run at
// a time (1.4 GB at 2.7M papers, which held the event loop 2.3–2.4 s at each of serve's saves while papers were
// embedded).
import { parentPort, workerData } from 'node:worker_threads';
import { writeRowsRewrite, type RowsRewrite } from '../../index/vectors/index.ts';
import type { RewriteReply } from './snapshot-rewrite.ts';

export interface VectorRewriteJob {
  rewrite: RowsRewrite;
  /** Where the new sidecar goes (not there before). */
  out: string;
}

const port = parentPort;
if (port === null) throw new Error('vector-rewrite.worker.ts must run as a worker thread');
const job = workerData as VectorRewriteJob;
const post = (reply: RewriteReply): void => port.postMessage(reply);

try {
  post({ type: 'done', count: writeRowsRewrite(job.rewrite, job.out) });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
