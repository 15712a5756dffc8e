// Block checks (CRC-32) of snapshot sections on a worker thread, read in sequential pieces while no search is being
// answered: the main thread answers searches meanwhile, and the pages read stay in the page cache for the searches
// that follow (the rows of vectors.bin, the postings, lookup.bin: h27c).
import { Worker } from 'node:worker_threads';
import { BLOCK, SnapshotDamaged, type PagedBytes } from './snapshot-sections.ts';

/** One file part to check, a CRC-32 per `blocks` bytes of it (the last block shorter). */
export interface FileCheckJob {
  path: string;
  offset: number;
  length: number;
  /** Bytes per checked block (> 0). */
  blocks: number;
}

/** What a job found: the file it read (device and inode, size) and the CRC-32s. */
export interface FileCheckResult {
  dev: number;
  ino: number;
  size: number;
  /** Each block's CRC-32. */
  crcs: Uint32Array;
}

/**
 * Bytes read per step: sequential reads large enough for the disk's read-ahead, short enough (a few ms) that a
 * search starting meanwhile waits little for the read in flight.
 */
const PIECE = 2 << 20;

/**
 * Shared with every check worker: [0] searches being answered now (`foreground`), [1] how many times a worker
 * waited for them to end. The checks are background work: they read only while no search is being answered, so
 * the first searches after a restart have the disk and the cores to themselves (h27c: a check running beside the
 * first search held it back 1–1.5 s on a loaded machine).
 */
const shared = new Int32Array(new SharedArrayBuffer(8));

/**
 * Marks a search being answered (`+1`) or ended (`-1`): while any is, check workers wait before their next read.
 * @example foreground(1); try { await answer(); } finally { foreground(-1); }
 */
export function foreground(delta: 1 | -1): void {
  if (Atomics.add(shared, 0, delta) + delta <= 0) Atomics.notify(shared, 0);
}

/** How many times a check worker waited for searches to end (for tests and figures). */
export function checkWorkerWaits(): number {
  return Atomics.load(shared, 1);
}

// Plain JavaScript (CommonJS, evaluated), so the worker starts in milliseconds without the TypeScript loader.
// Plain blocking reads, one after another on this one thread: on a loaded machine each hand-over between threads
// (asynchronous reads complete on libuv's pool) waited for a core, and that made the read a third slower (h27c).
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { crc32 } = require('node:zlib');
const PIECE = ${PIECE};
const shared = workerData.shared;
// Background work: no read while a search is being answered (woken when the last ends, or every 50 ms to look).
function yieldToSearches() {
  let waited = false;
  for (let v; (v = Atomics.load(shared, 0)) > 0; ) {
    if (!waited) Atomics.add(shared, 1, 1);
    waited = true;
    Atomics.wait(shared, 0, v, 50);
  }
}
function check(job) {
  const fd = fs.openSync(job.path, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (job.offset + job.length > st.size) throw new Error(job.path + ' is shorter than the part to check');
    const blocks = job.blocks;
    if (!(blocks > 0)) throw new Error('blocks must be above 0');
    const step = Math.max(blocks, Math.floor(PIECE / blocks) * blocks);
    const crcs = new Uint32Array(Math.ceil(job.length / blocks));
    const buf = Buffer.allocUnsafe(Math.min(step, Math.max(job.length, 1)));
    for (let at = 0; at < job.length; ) {
      const want = Math.min(buf.length, job.length - at);
      let got = 0;
      yieldToSearches();
      while (got < want) {
        const n = fs.readSync(fd, buf, got, want - got, job.offset + at + got);
        if (n === 0) throw new Error(job.path + ' was cut short while being checked');
        got += n;
      }
      const piece = buf.subarray(0, want);
      const first = at / blocks;
      for (let b = 0; b * blocks < want; b++) crcs[first + b] = crc32(piece.subarray(b * blocks, (b + 1) * blocks));
      // Each piece's checks as soon as they are made: a long section is taken over piece by piece.
      const part = crcs.slice(first, first + Math.ceil(want / blocks));
      parentPort.postMessage({ i: job.i, piece: { dev: st.dev, ino: st.ino, first, crcs: part } }, [part.buffer]);
      at += want;
    }
    return { dev: st.dev, ino: st.ino, size: st.size, crcs };
  } finally {
    fs.closeSync(fd);
  }
}
for (let i = 0; i < workerData.jobs.length; i++) {
  try {
    const result = check({ ...workerData.jobs[i], i });
    parentPort.postMessage({ i, result }, [result.crcs.buffer]);
  } catch (err) {
    parentPort.postMessage({ i, error: String(err && err.message ? err.message : err) });
  }
}
`;

/** The checks of one piece of a job, posted as it is read: blocks `first`… of the part. */
export interface CheckedPiece {
  dev: number;
  ino: number;
  first: number;
  crcs: Uint32Array;
}

type Message =
  | { i: number; result: FileCheckResult }
  | { i: number; error: string }
  | { i: number; piece: CheckedPiece };

/**
 * Checks `jobs` in order on a worker thread; one promise per job, settled as that job ends (a job that cannot
 * be read rejects; so does every job left when the worker fails). The worker ends after the last job and
 * never keeps the process alive. `onPiece` hears each piece's block checks as it is read.
 * @example const [rows] = checkFilesInWorker([{ path, offset, length, blocks: BLOCK }]); (await rows).crcs;
 */
export function checkFilesInWorker(
  jobs: readonly FileCheckJob[],
  onPiece?: (job: number, piece: CheckedPiece) => void,
): Promise<FileCheckResult>[] {
  const settle: { resolve: (r: FileCheckResult) => void; reject: (e: Error) => void }[] = [];
  const results = jobs.map(
    (_, i) =>
      new Promise<FileCheckResult>((resolve, reject) => {
        settle[i] = { resolve, reject };
      }),
  );
  // A caller that stops waiting (a process shutting down) must not leave a rejection unhandled.
  for (const r of results) r.catch(() => undefined);
  if (jobs.length === 0) return results;
  let worker: Worker;
  try {
    worker = new Worker(SOURCE, { eval: true, workerData: { jobs, shared } });
  } catch (err) {
    for (const s of settle) s.reject(err instanceof Error ? err : new Error(String(err)));
    return results;
  }
  worker.unref();
  let left = jobs.length;
  worker.on('message', (m: Message) => {
    const s = settle[m.i];
    if (s === undefined) return;
    if ('piece' in m) return onPiece?.(m.i, m.piece);
    if ('error' in m) s.reject(new Error(m.error));
    else s.resolve(m.result);
    if (--left === 0) void worker.terminate();
  });
  const failAll = (err: Error): void => {
    for (const s of settle) s.reject(err);
  };
  worker.on('error', failAll);
  // After every result this changes nothing (settled promises stay settled).
  worker.on('exit', (code) => failAll(new Error(`the file check worker exited (code ${code})`)));
  return results;
}

/**
 * Has every block of `sections` not yet checked read and checked on a worker thread, in large sequential reads,
 * and hands each piece's checks to its section as they come (`PagedBytes.acceptChecks`): a server's searches then
 * read those blocks without checking them, from a warm page cache. Resolves once the worker is done, with the
 * first damage found (already told to the section's `onDamage`), or null. A worker that fails, or a file that is
 * no longer the one a section reads, leaves those blocks unchecked, to be checked on this thread as before.
 * @example const damage = await checkSectionsInWorker(index.pagedSections()); if (damage) rebuild();
 */
export async function checkSectionsInWorker(
  sections: readonly PagedBytes[],
): Promise<SnapshotDamaged | null> {
  const wanted = sections.filter((s) => s.unchecked && s.place.identity !== undefined);
  let damage: SnapshotDamaged | null = null;
  const checks = checkFilesInWorker(
    wanted.map((s) => ({
      path: s.place.file,
      offset: s.place.offset,
      length: s.place.length,
      blocks: BLOCK,
    })),
    (i, piece) => {
      const section = wanted[i];
      const identity = section?.place.identity;
      if (section === undefined || piece.dev !== identity?.dev || piece.ino !== identity.ino) return;
      try {
        section.acceptChecks(piece.crcs, piece.first);
      } catch (err) {
        if (err instanceof SnapshotDamaged) damage ??= err;
      }
    },
  );
  await Promise.all(checks.map((c) => c.catch(() => undefined)));
  return damage;
}
