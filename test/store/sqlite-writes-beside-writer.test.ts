// Writes beside another process writing (serve embedding, voting, renewing leases; a CLI import): a transaction that
// reads before it writes (an import batch finding which paper each record is, a vote finding its paper) failed as a
// deferred transaction with "database is locked" whenever the other connection committed in between (a stale
// snapshot cannot take the write lock, and busy_timeout does not apply). Seen in CI as serve's shutdown test failing;
// such transactions now begin immediate and wait for the lock instead.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeAll(async () => {
  env = await tempStore();
});
afterAll(() => env.cleanup());

/** Another connection committing small writes back to back until told to stop; resolves with how many. */
function noisyWriter(file: string): { stop(): Promise<number>; started: Promise<void> } {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Database = require(workerData.driver);
    const db = new Database(workerData.file);
    db.pragma('busy_timeout = 5000');
    db.exec('CREATE TABLE IF NOT EXISTS noise (x INTEGER)');
    const ins = db.prepare('INSERT INTO noise (x) VALUES (?)');
    let stop = false;
    let n = 0;
    parentPort.on('message', () => { stop = true; });
    parentPort.postMessage('started');
    const step = () => {
      for (let i = 0; i < 200; i++) ins.run(n++);
      if (stop) { db.close(); parentPort.postMessage(n); } else setImmediate(step);
    };
    step();
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
  });
  let count: (n: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (count = resolve));
  let started: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (started = resolve));
  worker.on('message', (m: unknown) => (m === 'started' ? started() : count(Number(m))));
  return {
    started: ready,
    async stop() {
      worker.postMessage('stop');
      const n = await done;
      await worker.terminate();
      return n;
    },
  };
}

it('imports every batch while another connection commits back to back', async () => {
  const writer = noisyWriter(env.path);
  await writer.started;
  let stored = 0;
  try {
    for (let b = 0; b < 150; b++) {
      const outcomes = await env.store.papers.upsertMany(
        Array.from({ length: 4 }, (_, i) =>
          paper({
            arxivId: `2508.${String(b * 4 + i + 1).padStart(5, '0')}`,
            title: `Beside a writer ${b} ${i}`,
          }),
        ),
      );
      stored += outcomes.length;
    }
  } finally {
    expect(await writer.stop()).toBeGreaterThan(0);
  }
  expect(stored).toBe(600);
  expect(await env.store.papers.count()).toBe(600);
});

it('casts votes (a transaction that reads, then writes) while another connection commits back to back', async () => {
  const user = await env.store.users.create('voter@example.org', 'Voter', 'x');
  if (user === null) throw new Error('no user');
  const writer = noisyWriter(env.path);
  await writer.started;
  try {
    for (let b = 0; b < 150; b++) {
      const id = `2508.${String(b + 1).padStart(5, '0')}`;
      expect(await env.store.votes.set(user.id, id, true, Date.now()), id).toEqual({ voted: true, count: 1 });
    }
  } finally {
    expect(await writer.stop()).toBeGreaterThan(0);
  }
});
