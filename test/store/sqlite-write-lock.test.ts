// Writes wait for another connection's write lock between turns of the event loop (#23): better-sqlite3's calls are
// synchronous, so with SQLite's busy timeout a write of serve's (the embed loop's vectors, a vote) waited inside the
// call while a `paperboy import` held the lock, and no request was answered meanwhile: up to 5 s, then failed.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

/**
 * Another connection holding the write lock (BEGIN IMMEDIATE, one row written) until `release()`, which commits.
 * Its busy timeout is SQLite's own, as a CLI import's.
 */
async function lockHolder(file: string): Promise<{ release(): Promise<void> }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    db.exec('CREATE TABLE IF NOT EXISTS holder (x INTEGER)');
    db.exec('BEGIN IMMEDIATE');
    db.prepare('INSERT INTO holder (x) VALUES (1)').run();
    parentPort.postMessage('holding');
    parentPort.on('message', () => {
      db.exec('COMMIT');
      db.close();
      parentPort.postMessage('released');
    });
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  const said = (what: string) =>
    new Promise<void>((resolve, reject) => {
      worker.on('message', (m) => m === what && resolve());
      worker.on('error', reject);
    });
  const holding = said('holding');
  const released = said('released');
  await holding;
  return {
    async release() {
      worker.postMessage('release');
      await released;
      await worker.terminate();
    },
  };
}

/**
 * Starts `write` while another connection holds the lock, releases the lock from a timer 150 ms later (a timer that
 * cannot fire while the write waits inside its call), and counts the timer turns taken while the write waited.
 */
async function besideHeldLock<T>(
  write: () => Promise<T>,
): Promise<{ result: T; turns: number; released: boolean }> {
  const holder = await lockHolder(env.path);
  let turns = 0;
  let released = false;
  const ticker = setInterval(() => turns++, 5);
  const releasing = new Promise<void>((resolve, reject) =>
    setTimeout(() => {
      released = true;
      holder.release().then(resolve, reject);
    }, 150),
  );
  try {
    const result = await write();
    const releasedFirst = released;
    await releasing;
    return { result, turns, released: releasedFirst };
  } finally {
    clearInterval(ticker);
    await releasing.catch(() => undefined);
  }
}

it('stores papers once the lock is free, answering timers meanwhile', async () => {
  const { result, turns, released } = await besideHeldLock(() =>
    env.store.papers.upsertMany([paper({ arxivId: '2509.00001', title: 'Seals on the lock' })]),
  );
  expect(result).toEqual(['added']);
  expect(released).toBe(true);
  expect(turns).toBeGreaterThan(3);
  expect((await env.store.papers.get('2509.00001'))?.title).toBe('Seals on the lock');
});

it('stores vectors and deletes papers once the lock is free, answering timers meanwhile', async () => {
  await env.store.papers.upsertMany([paper({ arxivId: '2509.00001' }), paper({ arxivId: '2509.00002' })]);
  const put = await besideHeldLock(() =>
    env.store.vectors.put('m', [
      { paperId: '2509.00001', contentHash: 'h', vector: Float32Array.from([1, 0]) },
    ]),
  );
  expect(put.released).toBe(true);
  expect(put.turns).toBeGreaterThan(3);
  expect(await env.store.vectors.count('m')).toBe(1);
  const gone = await besideHeldLock(() => env.store.papers.delete('2509.00002'));
  expect(gone).toMatchObject({ result: true, released: true });
  expect(gone.turns).toBeGreaterThan(3);
  expect(await env.store.papers.get('2509.00002')).toBeNull();
});

it('writes through the shared repositories (a statement, a transaction) once the lock is free', async () => {
  const set = await besideHeldLock(() => env.store.settings.set('k', 'v'));
  expect(set.released).toBe(true);
  expect(set.turns).toBeGreaterThan(3);
  expect(await env.store.settings.get('k')).toBe('v');
  await env.store.papers.upsertMany([paper({ arxivId: '2509.00003' })]);
  const user = await env.store.users.create('lock@example.org', 'Lock', 'x');
  if (user === null) throw new Error('no user');
  const vote = await besideHeldLock(() => env.store.votes.set(user.id, '2509.00003', true, Date.now()));
  expect(vote.released).toBe(true);
  expect(vote.turns).toBeGreaterThan(3);
  expect(vote.result).toEqual({ voted: true, count: 1 });
});

it('reads while the lock is held, without waiting for it', async () => {
  await env.store.papers.upsertMany([paper({ arxivId: '2509.00004', title: 'Read beside a writer' })]);
  const read = await besideHeldLock(() => env.store.papers.get('2509.00004'));
  expect(read.released).toBe(false);
  expect(read.result?.title).toBe('Read beside a writer');
});
