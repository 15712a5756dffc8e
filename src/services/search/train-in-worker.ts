// Trains the static model on another thread at low priority and hands the finished model back.
import { AppError } from '../../errors.ts';
import {
  decodeStaticModel,
  type DocumentFrequencies,
  type StaticModel,
  type TrainProgress,
  type TrainingText,
} from '../../index/embedders/static/index.ts';
import type { TrainJob, TrainMessage } from './train.worker.ts';
import { onWorkerFailure, startTsWorker } from '../../platform/index.ts';

const WORKER_URL = new URL('./train.worker.ts', import.meta.url).href;

export interface WorkerTrainOptions {
  dim?: number;
  epochs?: number;
  seed?: number;
  batchSize?: number;
  /** At most this many training pairs (trainStaticModel's `pairs`). */
  pairs?: number;
  /** The vocabulary's counts, when `texts` is a sample of the papers they were counted over. */
  documentFrequencies?: DocumentFrequencies;
  /** Ends the worker at once; the promise then rejects with AppError('INTERRUPTED'). */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

/**
 * The same model `trainStaticModel` makes on this thread (same texts, options and seed), made on a worker
 * thread so that this one stays free for requests.
 */
export function trainInWorker(texts: TrainingText[], opts: WorkerTrainOptions = {}): Promise<StaticModel> {
  const job: TrainJob = {
    texts,
    dim: opts.dim,
    epochs: opts.epochs,
    seed: opts.seed,
    batchSize: opts.batchSize,
    pairs: opts.pairs,
    documentFrequencies: opts.documentFrequencies,
  };
  const worker = startTsWorker(WORKER_URL, { workerData: job });
  return new Promise<StaticModel>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      opts.signal?.removeEventListener('abort', stop);
      fn();
      void worker.terminate();
    };
    const stop = (): void =>
      finish(() => reject(new AppError('INTERRUPTED', 'Training interrupted; nothing was changed.')));
    if (opts.signal?.aborted === true) return stop();
    opts.signal?.addEventListener('abort', stop, { once: true });
    worker.on('message', (m: TrainMessage) => {
      if (m.type === 'progress')
        opts.onProgress?.({ phase: m.phase, done: m.done, total: m.total, epoch: m.epoch });
      else if (m.type === 'error')
        finish(() => reject(new AppError('EMBEDDER', `training failed: ${m.message}`)));
      else
        finish(() => {
          try {
            resolve(
              decodeStaticModel(
                Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength),
                'the trained model',
              ),
            );
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
          }
        });
    });
    onWorkerFailure(worker, (why) =>
      finish(() => reject(new AppError('EMBEDDER', `training failed: ${why}`))),
    );
  });
}
