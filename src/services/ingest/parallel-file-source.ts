// Reads a file's records in a worker thread and hands them over page by page with backpressure.
import type { FileFormat } from '../../ingest/files/detect.ts';
import type { RecordPage } from './ingest-service.ts';
import { pagesFromWorker, startTsWorker } from '../../platform/index.ts';

const WORKER_URL = new URL('./file-reader.worker.ts', import.meta.url).href;

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
  const worker = startTsWorker(WORKER_URL, {
    workerData: { path, format, sourceName, pageSize, credit: ahead },
    // A parser needs little heap; a small young generation makes it collect often, keeping RSS flat.
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
  });
  // Credit after use: a page is large (10,000 records), so only `ahead` of them wait while one is stored.
  yield* pagesFromWorker<RecordPage>(worker, `reading ${sourceName}`, false);
}
