// `paperboy embed`'s vector snapshot built on another core while papers are embedded: rows and graph follow the store.
import { AppError } from '../../errors.ts';
import { onWorkerFailure, startTsWorker } from '../../platform/index.ts';

/** What the worker is given. */
export interface VectorSnapshotJob {
  databaseUrl: string;
  /** The snapshot folder the generation is written into. */
  dir: string;
  approximateAbove: number;
  /** See `SearchIndexesOptions.graphLayoutAbove`. */
  graphLayoutAbove?: number;
  model: string;
  dimension: number;
}

/** What the worker posts once: the generation written, or its failure. */
export type VectorSnapshotMessage = { type: 'done'; lexical: boolean } | { type: 'error'; message: string };

/** A vector snapshot that follows an embedding pass (`SearchIndexes.followVectors`). */
export interface VectorSnapshotFollower {
  /** New vectors were stored: read them (cheap to call after every batch). */
  more(): void;
  /** Reads what is left, writes the generation; whether it holds a lexical snapshot (carried over). */
  finish(): Promise<{ lexical: boolean }>;
  /** Stops without writing anything (an interrupted or failed pass). */
  cancel(): Promise<void>;
}

const WORKER_URL = new URL('./vector-snapshot.worker.ts', import.meta.url).href;

/**
 * Starts a worker thread (its own store connection) that adds the vectors of `job.model` to an index as they are
 * stored, growing the HNSW graph beside the embedding instead of after it, then writes the generation on `finish`.
 */
export function followVectorsInWorker(job: VectorSnapshotJob): VectorSnapshotFollower {
  const worker = startTsWorker(WORKER_URL, { workerData: job });
  const result = new Promise<{ lexical: boolean }>((resolve, reject) => {
    worker.on('message', (m: VectorSnapshotMessage) => {
      if (m.type === 'done') resolve({ lexical: m.lexical });
      else reject(new AppError('INTERNAL', `The vector index snapshot failed: ${m.message}`));
    });
    // After a result this changes nothing; before one it means the worker died.
    onWorkerFailure(worker, (why) =>
      reject(new AppError('INTERNAL', `The vector index snapshot failed: ${why}`)),
    );
  });
  // Read by `finish`; a failure before then must not go unhandled meanwhile.
  result.catch(() => undefined);
  return {
    more: () => worker.postMessage('more'),
    async finish() {
      worker.postMessage('finish');
      try {
        return await result;
      } finally {
        await worker.terminate();
      }
    },
    async cancel() {
      await worker.terminate();
    },
  };
}
