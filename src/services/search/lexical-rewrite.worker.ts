// Worker thread that writes the lexical snapshot anew away from the serving thread (#23): it opens the file the
// serving index read, applies what changed since (`applyLexicalChanges`) and writes the compacted index to `out`,
// streaming the lists and sequences through files beside it, so the serving thread neither stops for it (about
// 45 s at 2.7M papers) nor holds a second copy of the index.
import { parentPort, workerData } from 'node:worker_threads';
import {
  applyLexicalChanges,
  openLexicalIndex,
  type LexicalChanges,
} from '../../index/lexical/lexical-index.ts';
import type { RewriteReply } from './snapshot-rewrite.ts';

export interface LexicalRewriteJob {
  changes: LexicalChanges;
  /** Where the new snapshot file goes (not there before). */
  out: string;
  /** Every block of `changes.file` was checked by the serving index: none is checked again here. */
  checkedElsewhere: boolean;
  /** Lists kept in memory while they are read (each list is read about twice: the merge, then the bounds). */
  listCacheBytes: number;
}

const port = parentPort;
if (port === null) throw new Error('lexical-rewrite.worker.ts must run as a worker thread');
const job = workerData as LexicalRewriteJob;
const post = (reply: RewriteReply): void => port.postMessage(reply);

try {
  const index = openLexicalIndex(job.changes.file, { checkedElsewhere: job.checkedElsewhere }).limitMemory({
    postingsCacheBytes: job.listCacheBytes,
  });
  applyLexicalChanges(index, job.changes);
  index.saveTo(job.out);
  post({ type: 'done', count: index.size });
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
