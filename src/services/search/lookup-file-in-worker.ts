// `paperboy reindex`'s lookup file (spelling and suggestion tables) built and written on another thread, beside
// the index build, through a store connection of its own.
import { rmSync } from 'node:fs';
import { AppError } from '../../errors.ts';
import { onWorkerFailure, startTsWorker } from '../../platform/index.ts';

/** What the worker is given. */
export interface LookupFileJob {
  /** The DATABASE_URL of the store (never ":memory:": the worker opens a connection of its own). */
  databaseUrl: string;
  /** The lookup file to write (LOOKUP_FILE in the index folder); replaced whole, or left as it was. */
  file: string;
  /**
   * While the caller may still grow (reindex: until it waits for the worker, after its lexical postings step), the worker
   * reads no further page of papers while the process's RSS is above this many MiB; absent: it never waits.
   */
  holdAboveMiB?: number;
  /** One Int32 slot: 1 while the caller may still grow, 0 after `release()` (set by the caller's thread). */
  hold?: SharedArrayBuffer;
}

/**
 * What the worker posts, in this order: ready, built, written (with `waiting` each time it starts waiting for
 * memory before the caller's release); or failed at any point.
 */
export type LookupFileMessage =
  | { type: 'ready' }
  | { type: 'waiting'; papers: number; rssMiB: number }
  | { type: 'built'; papers: number; heldSeconds: number }
  | { type: 'written'; papers: number }
  | { type: 'failed'; message: string };

/** The written file: its papers, and the seconds from the worker's start to the tables built and to the file written. */
export interface LookupFileWritten {
  papers: number;
  builtSeconds: number;
  seconds: number;
  /** Seconds the build waited for memory (see `LookupFileJob.holdAboveMiB`). */
  heldSeconds: number;
}

/** A lookup file being built and written on a worker thread. */
export interface LookupFileInWorker {
  /**
   * Resolves once the worker has opened its store and found the file writable, so a failure of that kind is
   * known before the caller commits to anything (reindex waits for it before saving a generation).
   */
  readonly ready: Promise<void>;
  /** Resolves when the file is written; rejects with the worker's failure (the file then stays as it was). */
  readonly done: Promise<LookupFileWritten>;
  /** The failure, as soon as there is one (else null). */
  failure(): Error | null;
  /**
   * The caller grows no more (it waits for the worker, or gave its memory back): the worker stops watching the
   * process's RSS. Call it before waiting for `done`, or a worker waiting for memory would wait for ever.
   */
  release(): void;
  /** Ends the worker (Ctrl-C, a failed rebuild) and removes its temporary file: the lookup file stays as it was. */
  stop(): Promise<void>;
}

export interface LookupFileWorkerHooks {
  /** Told when the tables are built, before the file is written (reindex logs it as a step). */
  onBuilt?: (papers: number, seconds: number, heldSeconds: number) => void;
  /**
   * Until `release()`, the build waits between pages while the process's RSS is above this many MiB (reindex:
   * its lexical steps grow meanwhile, and the two together must stay under its peak). Absent: it never waits.
   */
  holdAboveMiB?: number;
  /** Told when the file is written (and the worker's tables are dropped): its papers and seconds since the start. */
  onWritten?: (papers: number, seconds: number) => void;
  /** Told each time the build starts waiting for memory: papers added so far, the process's RSS then. */
  onWaiting?: (papers: number, rssMiB: number) => void;
  /** Told at the first failure (reindex then stops its rebuild between pages). */
  onFailed?: (err: Error) => void;
}

const WORKER_URL = new URL('./lookup-file.worker.ts', import.meta.url).href;

/** The name `writeFileAtomically` gives the file while it is written (same process, so the same pid). */
export const lookupTempFile = (file: string): string => `${file}.tmp-${process.pid}`;

/**
 * Starts a worker thread that builds the lookup tables over the store and writes them to `job.file`, exactly as
 * `saveLookupTables` after `buildLookupTables` on this thread would (same scan order, same bytes).
 * @example const w = saveLookupFileInWorker({ databaseUrl, file }); await w.ready; …; const { papers } = await w.done;
 */
export function saveLookupFileInWorker(
  job: LookupFileJob,
  hooks: LookupFileWorkerHooks = {},
): LookupFileInWorker {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  const hold = hooks.holdAboveMiB === undefined ? null : new SharedArrayBuffer(4);
  if (hold !== null) Atomics.store(new Int32Array(hold), 0, 1);
  const workerData: LookupFileJob =
    hold === null || hooks.holdAboveMiB === undefined
      ? job
      : { ...job, hold, holdAboveMiB: hooks.holdAboveMiB };
  const worker = startTsWorker(WORKER_URL, { workerData });
  let failed: Error | null = null;
  let written = false;
  let stopping = false;
  let builtSeconds = 0;
  let heldSeconds = 0;
  let settleReady: { resolve(): void; reject(err: Error): void } | null = null;
  let settleDone: { resolve(w: LookupFileWritten): void; reject(err: Error): void } | null = null;
  const ready = new Promise<void>((resolve, reject) => (settleReady = { resolve, reject }));
  const done = new Promise<LookupFileWritten>((resolve, reject) => (settleDone = { resolve, reject }));
  // Awaited by the caller when it gets there; a failure before then must not go unhandled meanwhile.
  ready.catch(() => undefined);
  done.catch(() => undefined);

  const fail = (why: string): void => {
    if (failed !== null || written) return;
    failed = new AppError(
      'INTERNAL',
      `lookup tables (${job.file}): ${why}; the lookup file was left as it was`,
    );
    settleReady?.reject(failed);
    settleDone?.reject(failed);
    if (!stopping) hooks.onFailed?.(failed);
  };
  worker.on('message', (m: LookupFileMessage) => {
    if (m.type === 'ready') settleReady?.resolve();
    else if (m.type === 'waiting') hooks.onWaiting?.(m.papers, m.rssMiB);
    else if (m.type === 'built') {
      builtSeconds = seconds();
      heldSeconds = m.heldSeconds;
      hooks.onBuilt?.(m.papers, builtSeconds, heldSeconds);
    } else if (m.type === 'written') {
      written = true;
      const at = seconds();
      hooks.onWritten?.(m.papers, at);
      settleDone?.resolve({ papers: m.papers, builtSeconds, seconds: at, heldSeconds });
    } else fail(m.message);
  });
  // After `written` this changes nothing (the promises are settled); before it, the worker died.
  onWorkerFailure(worker, fail);

  return {
    ready,
    done,
    failure: () => failed,
    release() {
      if (hold !== null) Atomics.store(new Int32Array(hold), 0, 0);
    },
    async stop() {
      // A written file is kept; otherwise the job reads as failed ("stopped"), not as a worker that died.
      stopping = true;
      fail('stopped');
      await worker.terminate();
      // Ended in the middle of writing: its temporary file would otherwise stay beside the lookup file.
      rmSync(lookupTempFile(job.file), { force: true });
    },
  };
}
