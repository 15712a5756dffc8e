// Worker thread of `paperboy reindex`: builds the spelling and suggestion tables over the store and writes lookup.bin.
import { closeSync, mkdirSync, openSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { memoryNow } from '../../platform/index.ts';
import { openStore } from '../../store/db.ts';
import { lookupTempFile, type LookupFileJob, type LookupFileMessage } from './lookup-file-in-worker.ts';
import { buildLookupTables, saveLookupTables } from './lookup-tables.ts';

const port = parentPort;
if (port === null) throw new Error('lookup-file.worker.ts must run as a worker thread');
const job = workerData as LookupFileJob;
const post = (m: LookupFileMessage): void => port.postMessage(m);

/**
 * Fails now, not after minutes of building, when the file cannot be written: its place is a folder, or its
 * folder takes no new file (the temporary one is created and removed, as the write will).
 */
function checkWritable(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const existing = statSync(file, { throwIfNoEntry: false });
  if (existing?.isDirectory() === true) throw new Error(`${file} is a folder, not a file`);
  const tmp = lookupTempFile(file);
  closeSync(openSync(tmp, 'w', 0o600));
  rmSync(tmp, { force: true });
}

/** Papers added between two looks at the process's memory (a page of the build's scan). */
const CHECK_EVERY = 500;
/** Milliseconds between two looks while waiting for memory. */
const WAIT_MS = 250;
const hold = job.hold === undefined ? null : new Int32Array(job.hold);
let added = 0;
let heldMs = 0;
let toldAt: number | null = null;

/**
 * Awaited after each paper: every CHECK_EVERY papers, while the caller still holds its own memory and the
 * process is above `holdAboveMiB`, waits for either to change (the caller's release, or its memory falling).
 */
async function roomToGrow(): Promise<void> {
  if (hold === null || ++added % CHECK_EVERY !== 0) return;
  const limit = job.holdAboveMiB ?? Infinity;
  const rss = (): number => memoryNow()?.rssMiB ?? 0;
  if (Atomics.load(hold, 0) === 0 || rss() <= limit) return;
  const t0 = performance.now();
  // Said once, then at most once a minute (RSS may hover about the limit page after page).
  if (toldAt === null || t0 - toldAt >= 60_000) {
    toldAt = t0;
    post({ type: 'waiting', papers: added, rssMiB: rss() });
  }
  // At least one wait: a release or a fall in memory is looked for after it, not raced against the notice.
  do await new Promise<void>((resolve) => setTimeout(resolve, WAIT_MS));
  while (Atomics.load(hold, 0) === 1 && rss() > limit);
  heldMs += performance.now() - t0;
}

async function run(): Promise<void> {
  checkWritable(job.file);
  const store = await openStore(job.databaseUrl);
  try {
    post({ type: 'ready' });
    const built = await buildLookupTables(store, roomToGrow);
    post({
      type: 'built',
      papers: built.tables.suggest.papers,
      heldSeconds: Number((heldMs / 1000).toFixed(1)),
    });
    saveLookupTables(built, job.file);
    post({ type: 'written', papers: built.tables.suggest.papers });
  } finally {
    await store.close();
  }
}

try {
  await run();
} catch (err) {
  post({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
