// Reads a file's records in a worker thread and hands them over page by page with backpressure.
import { Worker } from 'node:worker_threads';
import type { SourceRecord } from '../../domain/index.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import type { FileFormat } from '../../ingest/files/detect.ts';
import type { RecordPage } from './ingest-service.ts';
import { tsWorkerSource } from '../../platform/index.ts';

type Message =
  | { type: 'page'; records: SourceRecord[]; checkpoint: string }
  | { type: 'done' }
  | { type: 'error'; code: ErrorCode; message: string };

const WORKER_URL = new URL('./file-reader.worker.ts', import.meta.url).href;
const BOOTSTRAP = tsWorkerSource(WORKER_URL);

/**
 * Pages of a file's records parsed on another core. At most `ahead` pages wait in memory, so a
 * 4 GB file streams in constant memory. Stopping early (break, abort) terminates the worker.
 */
export async function* readPagesInWorker(
  path: string,
  format: FileFormat,
  sourceName: string,
  pageSize = 1000,
  ahead = 2,
): AsyncGenerator<RecordPage> {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { path, format, sourceName, pageSize, credit: ahead },
    // A parser needs little heap; a small young generation makes it collect often, keeping RSS flat.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
  });
  const queue: Message[] = [];
  let notify: (() => void) | null = null;
  let crashed: Error | null = null;
  worker.on('message', (m: Message) => {
    queue.push(m);
    notify?.();
  });
  worker.on('error', (err) => {
    crashed = err;
    notify?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && crashed === null) await new Promise<void>((resolve) => (notify = resolve));
      const m = queue.shift();
      if (m === undefined) throw new AppError('INTERNAL', `reading ${sourceName} failed: ${String(crashed)}`);
      if (m.type === 'done') return;
      if (m.type === 'error') throw new AppError(m.code, m.message);
      yield { records: m.records, checkpoint: m.checkpoint };
      worker.postMessage('credit');
    }
  } finally {
    await worker.terminate();
  }
}
