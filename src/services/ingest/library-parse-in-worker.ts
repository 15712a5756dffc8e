// Parses library uploads in a shared worker thread and hands each file's entries over page by page.
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../../errors.ts';
import type { LibraryFormat, LibraryPage } from './library-import.ts';
import type { ParseJob } from './library-parse.worker.ts';
import { startTsWorker } from '../../platform/index.ts';

type Message =
  | { id: number; type: 'page'; page: LibraryPage }
  | { id: number; type: 'done' }
  | { id: number; type: 'error'; code: ErrorCode; message: string };

const WORKER_URL = new URL('./library-parse.worker.ts', import.meta.url).href;

/** An idle parser is stopped after this long, returning its memory; the next upload starts a new one. */
const IDLE_MS = 5 * 60_000;

interface Listener {
  message(m: Message): void;
  crash(err: Error): void;
}

/** The one parser thread of this process, started at the first upload. */
let shared: { worker: Worker; jobs: Map<number, Listener>; idle: NodeJS.Timeout | null } | null = null;
let nextId = 1;

function parser(): NonNullable<typeof shared> {
  if (shared !== null) return shared;
  const worker = startTsWorker(WORKER_URL, {
    // A hostile file can only exhaust the parser's heap; the server's stays as it was.
    resourceLimits: { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 512 },
  });
  const state = { worker, jobs: new Map<number, Listener>(), idle: null as NodeJS.Timeout | null };
  const fail = (err: Error): void => {
    if (shared === state) shared = null;
    for (const job of state.jobs.values()) job.crash(err);
    state.jobs.clear();
  };
  worker.on('message', (m: Message) => state.jobs.get(m.id)?.message(m));
  worker.on('error', fail);
  worker.on('exit', () => fail(new Error('the parser stopped')));
  shared = state;
  return state;
}

function release(state: NonNullable<typeof shared>, id: number): void {
  state.jobs.delete(id);
  if (state.jobs.size > 0) return;
  // An idle parser must not keep the process alive (a CLI import exits when done).
  state.worker.unref();
  state.idle = setTimeout(() => {
    if (shared === state && state.jobs.size === 0) {
      shared = null;
      void state.worker.terminate();
    }
  }, IDLE_MS).unref();
}

/**
 * The pages `libraryPages` makes of `input` (text, or its UTF-8 bytes, decoded in the worker and handed over:
 * do not use them afterwards), with the same
 * rejections and errors, parsed on another thread: a 4 MiB upload costs the caller's event loop only the
 * pages' hand-over. Stopping early (break, an error) cancels the job.
 * @example for await (const page of readLibraryInWorker(bytes, 'upload')) match(page.refs);
 */
export async function* readLibraryInWorker(
  input: string | Uint8Array,
  source: string,
  format?: LibraryFormat,
  pageSize = 250,
): AsyncGenerator<LibraryPage> {
  const state = parser();
  if (state.idle !== null) clearTimeout(state.idle);
  state.idle = null;
  state.worker.ref();
  const id = nextId++;
  const queue: Message[] = [];
  let notify: (() => void) | null = null;
  let crashed: Error | null = null;
  state.jobs.set(id, {
    message(m) {
      queue.push(m);
      notify?.();
    },
    crash(err) {
      crashed = err;
      notify?.();
    },
  });
  const job: ParseJob = { id, input, source, pageSize, ...(format !== undefined ? { format } : {}) };
  // Bytes that own their whole buffer (a request body read for this upload) move to the worker instead of
  // being copied; the caller's view is emptied. Anything else (a pooled Buffer slice) is copied.
  const owned =
    input instanceof Uint8Array &&
    input.buffer instanceof ArrayBuffer &&
    input.byteOffset === 0 &&
    input.byteLength === input.buffer.byteLength;
  state.worker.postMessage(job, owned ? [input.buffer] : []);
  let finished = false;
  try {
    for (;;) {
      while (queue.length === 0 && crashed === null) await new Promise<void>((resolve) => (notify = resolve));
      const m = queue.shift();
      if (m === undefined) throw new AppError('INTERNAL', `reading ${source} failed: ${String(crashed)}`);
      if (m.type === 'done') {
        finished = true;
        return;
      }
      if (m.type === 'error') {
        finished = true;
        throw new AppError(m.code, m.message);
      }
      yield m.page;
    }
  } finally {
    if (!finished && crashed === null) state.worker.postMessage({ cancel: id });
    release(state, id);
  }
}
