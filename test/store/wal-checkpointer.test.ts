// serve's WAL upkeep on a real SQLite file: no checkpoint inside a write, the worker's checkpoints keep the
// WAL file bounded over a long run, and closing the store ends the worker and its connection.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/db.ts';
import type { CheckpointReport } from '../../src/store/store.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';
import { waitFor } from '../helpers/wait-for.ts';

const PAGE = 4096;
let t: TempStore;
let batch = 0;

const walBytes = (): number => (existsSync(`${t.path}-wal`) ? statSync(`${t.path}-wal`).size : 0);

/** One transaction of about 1.2 MB (100 papers with 12 KB abstracts). */
async function writeBatch(): Promise<void> {
  const b = batch++;
  await t.store.papers.upsertMany(
    Array.from({ length: 100 }, (_, i) =>
      paper({
        arxivId: `2501.${String(b * 100 + i).padStart(5, '0')}`,
        abstract: `Batch ${b} paper ${i}. ${'We measure what a long abstract costs. '.repeat(300)}`,
      }),
    ),
  );
}

beforeEach(async () => {
  t = await tempStore();
  batch = 0;
});
afterEach(async () => t.cleanup());

describe('WAL checkpoints in the background (serve)', () => {
  it('never checkpoints inside a write: the WAL grows past the connection threshold until the worker runs', async () => {
    // A worker that waits (its period and size limit out of reach) shows what the writes alone do.
    const bg = t.store.checkpointInBackground({ everyMs: 1e9, maxWalBytes: 1e12 });
    expect(bg).not.toBeNull();
    for (let i = 0; i < 45; i++) await writeBatch();
    // The connection's own checkpoint would have run inside the write that crossed 10,000 pages (40 MB) and
    // the WAL would have started over from its beginning.
    expect(walBytes()).toBeGreaterThan(11_000 * PAGE);
    await t.store.close();
    // SQLite removes the WAL when the last connection to the file closes: the worker's is closed too.
    expect(existsSync(`${t.path}-wal`)).toBe(false);
  }, 120_000);

  it('keeps the WAL file bounded over a long run of writes', async () => {
    const got: CheckpointReport[] = [];
    const bg = t.store.checkpointInBackground({
      tickMs: 10,
      everyMs: 50,
      maxWalBytes: 4 * 1024 * 1024,
      onCheckpoint: (r) => got.push(r),
    });
    let largest = 0;
    let caughtUp = 0;
    for (let i = 0; i < 40; i++) {
      await writeBatch();
      const written = Date.now();
      largest = Math.max(largest, walBytes());
      // Like serve between batches, the writer pauses; over the limit it lets the worker catch up.
      if (walBytes() > 4 * 1024 * 1024) {
        // The worker checkpoints after a change it has seen: its last one may have started just before `written`
        // (after the commit), and with nothing changed since it runs no other. A one-row write (the count stays)
        // then has it run again: nothing announces "no checkpoint is coming", so this asks again (waitFor).
        // (Without it the test waited forever about once in a few hundred runs.)
        let since = written;
        let asked = 0;
        await waitFor(
          async () => {
            if (got.some((r) => r.startedAt >= since && !r.busy && r.checkpointed === r.walFrames))
              return true;
            // Every 20 checks of 50 ms: a second without one.
            if (++asked % 20 === 0) {
              await t.store.papers.upsertMany([
                paper({ arxivId: '2501.00000', title: `Nudge ${i}.${asked}` }),
              ]);
              since = Date.now();
            }
            return false;
          },
          { what: 'a complete checkpoint after the batch', timeoutMs: 60_000, intervalMs: 50 },
        );
        caughtUp += 1;
      }
      await nextTurn();
    }
    // 48 MB written. After a complete checkpoint the next write starts the WAL over and its file is cut back
    // to the limit; without the worker it would be 48 MB, with SQLite's own checkpoint up to 40 MB.
    expect(caughtUp).toBeGreaterThan(3);
    expect(largest).toBeLessThan(8 * 1024 * 1024);
    await bg?.stop();
    expect(await t.store.papers.count()).toBe(4000);
  }, 120_000);

  it('stops the worker on close, and does nothing for an in-memory store', async () => {
    t.store.checkpointInBackground();
    await writeBatch();
    await t.store.close();
    expect(existsSync(`${t.path}-wal`)).toBe(false);
    const memory = await openStore(':memory:');
    expect(memory.checkpointInBackground()).toBeNull();
    await memory.close();
  });
});

describe('stopping the background checkpoints', () => {
  it('holds the process until the worker has ended, when nothing else is left to run', () => {
    // The shape of serve's shutdown: the server closed, no timer left, then the checkpoints stopped and the store
    // closed. With the worker unreferenced while waited for, Node ended the process at the await (exit code 13):
    // serve's exit snapshot was never written.
    const module = JSON.stringify(join(import.meta.dirname, '../../src/store/db.ts'));
    const script = `
      const { openStore } = await import(${module});
      const store = await openStore(${JSON.stringify(t.path)});
      const bg = store.checkpointInBackground({ tickMs: 10 });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await bg.stop();
      await store.close();
      console.log('stopped and closed');
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect({ status: run.status, out: run.stdout.trim() }).toEqual({ status: 0, out: 'stopped and closed' });
  });
});
