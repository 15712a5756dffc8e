// Worker thread that parses a file into pages of records, so parsing runs beside the database writes.
import { parentPort, workerData } from 'node:worker_threads';
import type { SourceRecord } from '../../domain/index.ts';
import { readRecords } from '../../ingest/files/open-file-source.ts';
import type { FileFormat } from '../../ingest/files/detect.ts';
import { workerPageSender } from '../../platform/index.ts';
import type { RecordPage } from './ingest-service.ts';

interface Job {
  path: string;
  format: FileFormat;
  sourceName: string;
  pageSize: number;
  /** Pages the worker may send ahead of the consumer (bounds memory). */
  credit: number;
}

const port = parentPort;
if (port === null) throw new Error('file-reader.worker.ts must run as a worker thread');
const job = workerData as Job;
const sender = workerPageSender<RecordPage>(port, job.credit);
const send = (records: SourceRecord[], seen: number): Promise<void> =>
  sender.page({ records, checkpoint: String(seen) });

async function run(): Promise<void> {
  let page: SourceRecord[] = [];
  let seen = 0;
  try {
    for await (const rec of readRecords(job.format, job.path, job.sourceName)) {
      page.push(rec);
      seen++;
      if (page.length >= job.pageSize) {
        await send(page, seen);
        page = [];
      }
    }
    if (page.length > 0) await send(page, seen);
    sender.done();
  } catch (err) {
    if (page.length > 0) await send(page, seen);
    sender.fail(err);
  }
}

await run();
