// Worker thread that parses uploaded library files and posts their entries back page by page, so the
// server's event loop never decodes, splits or parses a file itself. It stays up between uploads (starting
// one costs about a second of loading); each job is tagged with its id.
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../../errors.ts';
import { libraryPages, type LibraryFormat } from './library-import.ts';

export interface ParseJob {
  id: number;
  input: string | Uint8Array;
  source: string;
  format?: LibraryFormat;
  pageSize: number;
}

const port = parentPort;
if (port === null) throw new Error('library-parse.worker.ts must run as a worker thread');
const running = new Set<number>();
const cancelled = new Set<number>();

async function run(job: ParseJob): Promise<void> {
  const { id } = job;
  running.add(id);
  try {
    // As the web's `c.req.text()` decodes: UTF-8, a byte-order mark dropped, bad bytes replaced.
    const text = typeof job.input === 'string' ? job.input : new TextDecoder().decode(job.input);
    for await (const page of libraryPages(text, job.source, job.format, undefined, job.pageSize)) {
      if (cancelled.has(id)) return;
      port?.postMessage({ id, type: 'page', page });
    }
    port?.postMessage({ id, type: 'done' });
  } catch (err) {
    const code = isAppError(err) ? err.code : 'INTERNAL';
    port?.postMessage({ id, type: 'error', code, message: err instanceof Error ? err.message : String(err) });
  } finally {
    running.delete(id);
    cancelled.delete(id);
  }
}

port.on('message', (m: ParseJob | { cancel: number }) => {
  if ('cancel' in m) {
    if (running.has(m.cancel)) cancelled.add(m.cancel);
  } else void run(m);
});
