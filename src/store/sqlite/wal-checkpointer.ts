// Checkpoints a serving SQLite database's WAL from a worker thread, so no request's write ever copies it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { BackgroundCheckpoints, CheckpointOptions, CheckpointReport } from '../store.ts';
import type { SqliteDb } from './open.ts';

/** What the worker is given: the driver to load and when to checkpoint. */
interface CheckpointJob {
  /** better-sqlite3 as this process resolved it, so the worker loads the same native build. */
  driver: string;
  file: string;
  tickMs: number;
  everyMs: number;
  maxWalBytes: number;
}

type WorkerMessage = ({ type: 'checkpoint' } & CheckpointReport) | { type: 'error'; message: string };

/**
 * The worker, plain JavaScript (no TypeScript loader on worker threads). Every tick it asks its own connection
 * whether another connection committed (data_version); pending frames are checkpointed PASSIVE every
 * `everyMs`, or at once when the WAL is over `maxWalBytes`. PASSIVE never takes the write lock: a TRUNCATE or
 * RESTART would, and a serving connection's deferred transaction that meets it fails at once with "database is
 * locked" (SQLite calls no busy handler when a read turns into a write). The space comes back another way: once
 * everything was copied, the next write starts the WAL over, and journal_size_limit cuts the file.
 */
const WORKER_SOURCE = `
const { parentPort, workerData: job } = require('node:worker_threads');
const { statSync } = require('node:fs');
const Database = require(job.driver);
const db = new Database(job.file, { fileMustExist: true });
const walBytes = () => { try { return statSync(job.file + '-wal').size; } catch { return 0; } };
let seen = db.pragma('data_version', { simple: true });
let lastCheckpoint = 0;
let pending = true;
function tick() {
  const now = Date.now();
  const v = db.pragma('data_version', { simple: true });
  if (v !== seen) { seen = v; pending = true; }
  if (!pending || (now - lastCheckpoint < job.everyMs && walBytes() <= job.maxWalBytes)) return;
  const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
  lastCheckpoint = now;
  pending = r.busy === 1 || r.checkpointed < r.log;
  parentPort.postMessage({ type: 'checkpoint', busy: r.busy === 1, walFrames: r.log,
    checkpointed: r.checkpointed, startedAt: now, ms: Date.now() - now });
}
const timer = setInterval(() => {
  try { tick(); } catch (err) {
    clearInterval(timer);
    parentPort.postMessage({ type: 'error', message: err && err.message ? err.message : String(err) });
  }
}, job.tickMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Turns off the connection's automatic checkpoint (which runs synchronously inside whichever commit crosses
 * it: up to tens of MB copied on the event loop) and checkpoints from a worker thread's own connection to the
 * same file instead. Should the worker fail, the connection checkpoints by itself again, so the WAL stays bounded.
 * `ownAutocheckpoint` (pages) is the connection's setting, given back when the worker stops or fails.
 * @example const bg = startWalCheckpointer(db, '/data/paperboy.db', WAL_AUTOCHECKPOINT_PAGES); await bg.stop();
 */
export function startWalCheckpointer(
  db: SqliteDb,
  file: string,
  ownAutocheckpoint: number,
  opts: CheckpointOptions = {},
): BackgroundCheckpoints {
  const job: CheckpointJob = {
    driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    file,
    tickMs: opts.tickMs ?? 200,
    everyMs: opts.everyMs ?? 1000,
    maxWalBytes: opts.maxWalBytes ?? 16 * 1024 * 1024,
  };
  db.pragma('wal_autocheckpoint = 0');
  // When the WAL starts over (after a complete checkpoint), its file is cut back to this size.
  db.pragma(`journal_size_limit = ${job.maxWalBytes}`);
  // Writes with no pause for the worker to catch up (SQLite starts the WAL over only when a write begins after
  // everything was copied) would grow it without end: past this size the connection checkpoints by itself again.
  const pageBytes = Number(db.pragma('page_size', { simple: true }));
  const ownAbovePages = Math.ceil((opts.selfCheckpointAboveBytes ?? 256 * 1024 * 1024) / pageBytes);
  let own = false;
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: job });
  // A checkpointer must never keep a finished process alive.
  worker.unref();
  let stopped = false;
  const selfCheckpoint = (): void => {
    if (!db.open) return;
    db.pragma(`wal_autocheckpoint = ${ownAutocheckpoint}`);
    db.pragma('journal_size_limit = -1');
  };
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (m: WorkerMessage) => {
    if (m.type === 'checkpoint') {
      const over = m.walFrames > ownAbovePages;
      if (over !== own && db.open && !stopped) {
        own = over;
        db.pragma(`wal_autocheckpoint = ${over ? ownAutocheckpoint : 0}`);
      }
      opts.onCheckpoint?.({
        busy: m.busy,
        walFrames: m.walFrames,
        checkpointed: m.checkpointed,
        startedAt: m.startedAt,
        ms: m.ms,
      });
    } else {
      selfCheckpoint();
      opts.onError?.(`WAL checkpoints: ${m.message}; the server checkpoints by itself again`);
    }
  });
  worker.on('error', (err) => {
    selfCheckpoint();
    opts.onError?.(`WAL checkpoints: ${err.message}; the server checkpoints by itself again`);
  });
  return {
    async stop() {
      if (stopped) return exited;
      stopped = true;
      // Waited for, the worker must hold the process: unreferenced, a shutdown with nothing else left to run ended
      // the process here (Node's exit code 13, an await never settled) before serve wrote its exit snapshot.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      selfCheckpoint();
    },
  };
}
