// Worker thread that trains the static model, so that `serve` keeps answering while a model learns beside it.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import {
  encodeStaticModel,
  type DocumentFrequencies,
  trainStaticModel,
  type TrainingText,
} from '../../index/embedders/static/index.ts';

export interface TrainJob {
  texts: TrainingText[];
  dim?: number;
  epochs?: number;
  seed?: number;
  batchSize?: number;
  pairs?: number;
  /** The vocabulary's counts, made on the calling thread (the corpus is never copied here). */
  documentFrequencies?: DocumentFrequencies;
}

export type TrainMessage =
  | { type: 'progress'; phase: 'read' | 'train' | 'done'; done: number; total: number; epoch?: number }
  | { type: 'done'; bytes: Uint8Array }
  | { type: 'error'; message: string };

const port = parentPort;
if (port === null) throw new Error('train.worker.ts must run as a worker thread');
const job = workerData as TrainJob;
// On Linux a thread has its own nice value: this lowers the trainer's only, so requests win every contest for
// a core. Where that is refused (another OS), the trainer runs at normal priority.
try {
  setPriority(19);
} catch {
  // Keep normal priority.
}

let lastStep = -1;
trainStaticModel(job.texts, {
  dim: job.dim,
  epochs: job.epochs,
  seed: job.seed,
  batchSize: job.batchSize,
  pairs: job.pairs,
  documentFrequencies: job.documentFrequencies,
  onProgress: (p) => {
    // About a thousand messages for a whole run: enough for a smooth percentage, few enough to cost nothing.
    const step = p.total > 0 ? Math.floor((1000 * p.done) / p.total) : p.done;
    if (step === lastStep && p.phase === 'train') return;
    lastStep = step;
    port.postMessage({ type: 'progress', phase: p.phase, done: p.done, total: p.total, epoch: p.epoch });
  },
})
  .then((model) => {
    const bytes = new Uint8Array(encodeStaticModel(model));
    port.postMessage({ type: 'done', bytes } satisfies TrainMessage, [bytes.buffer]);
  })
  .catch((err: unknown) => {
    port.postMessage({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
    } satisfies TrainMessage);
  });
