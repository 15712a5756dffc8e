// Worker thread of `paperboy embed`: follows the vectors as they are stored and grows their graph beside the embedding.
import { parentPort, workerData } from 'node:worker_threads';
import { openStore } from '../../store/db.ts';
import { SearchIndexes } from './search-indexes.ts';
import type { VectorSnapshotJob, VectorSnapshotMessage } from './vector-snapshot-in-worker.ts';

const port = parentPort;
if (port === null) throw new Error('vector-snapshot.worker.ts must run as a worker thread');
const job = workerData as VectorSnapshotJob;

let finishing = false;
/** A message came since the last catch-up (more rows may be there). */
let told = false;
let wake: (() => void) | null = null;
port.on('message', (m: 'more' | 'finish') => {
  if (m === 'finish') finishing = true;
  told = true;
  wake?.();
});

async function run(): Promise<void> {
  const store = await openStore(job.databaseUrl);
  try {
    const indexes = new SearchIndexes(store, {
      dir: job.dir,
      approximateAbove: job.approximateAbove,
      ...(job.graphLayoutAbove !== undefined ? { graphLayoutAbove: job.graphLayoutAbove } : {}),
    });
    const builder = await indexes.vectorSnapshot(job.model, job.dimension, { follow: true });
    if (builder === null) throw new Error('no snapshot folder');
    while (!finishing) {
      told = false;
      const added = await builder.catchUp();
      // Caught up: wait for the next batch (or the end) instead of asking the store again at once.
      if (added === 0 && !told) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
    const done: VectorSnapshotMessage = { type: 'done', ...(await builder.write()) };
    port!.postMessage(done);
  } finally {
    await store.close();
  }
}

run().catch((err: unknown) => {
  const failed: VectorSnapshotMessage = {
    type: 'error',
    message: err instanceof Error ? err.message : String(err),
  };
  port.postMessage(failed);
});
