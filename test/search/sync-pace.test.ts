// A sync of many changed papers lets the event loop turn (#23): the store answers at once, so the whole sync used to
// be one turn; 10,001 papers stored at once held every request of a 2.7M serve about 1.7 s in the lexical index.
// A large one analyzes the papers on a worker thread (about 60% of that work), with the same index as a result.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;

/** How many times a 1 ms timer fired while `work` ran: 0 when it held the event loop throughout. */
async function turnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  const timer = setInterval(() => turns++, 1);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return turns;
}
beforeAll(async () => {
  env = await tempStore();
});
afterAll(() => env.cleanup());

it('applies thousands of changed papers in slices, timers firing between them, with the same answers', async () => {
  const ix = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
  await ix.open();
  const n = 3000;
  await env.store.papers.upsertMany(
    Array.from({ length: n }, (_, i) =>
      paper({
        arxivId: `2507.${String(i + 1).padStart(5, '0')}`,
        title: `manatee seagrass ${i % 50} grazing survey ${i}`,
        abstract: `Manatees graze ${i % 2 === 0 ? 'seagrass' : 'algae'} in warm lagoons, site ${i}.`,
      }),
    ),
  );
  for (let i = 1; i <= 20; i++) await env.store.papers.delete(`2507.${String(i * 7).padStart(5, '0')}`);
  expect(await turnsDuring(() => ix.sync())).toBeGreaterThan(0);
  expect(ix.lexical.size).toBe(n - 20);
  expect(ix.lexical.has('2507.00007')).toBe(false);
  const built = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
  await built.open();
  for (const q of ['manatee', 'seagrass grazing 7', 'algae lagoons'])
    expect(await ix.searchLexical(q, { k: 50 }), q).toEqual(await built.searchLexical(q, { k: 50 }));
});

it('analyzes a large sync on a worker thread into the same index, byte for byte, as on this thread', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sync-analyze-'));
  try {
    const analyzed: number[] = [];
    const onWorker = new SearchIndexes(env.store, {
      dir: null,
      approximateAbove: 50,
      analyzeInWorkerAbove: 100,
      onProgress: (what, done) => {
        if (what === 'papers analyzed on a worker thread') analyzed.push(done);
      },
    });
    const here = new SearchIndexes(env.store, {
      dir: null,
      approximateAbove: 50,
      analyzeInWorkerAbove: Number.POSITIVE_INFINITY,
    });
    await onWorker.open();
    await here.open();
    // New words among the old, papers replaced, removed and stored again, in one sync.
    await env.store.papers.upsertMany(
      Array.from({ length: 1200 }, (_, i) =>
        paper({
          arxivId: `2509.${String(i + 1).padStart(5, '0')}`,
          title: `dugong ${i % 3 === 0 ? `zostera${i % 41}` : 'seagrass'} meadow ${i}`,
          abstract: `Dugongs crop ${i % 7 === 0 ? 'halophila' : 'seagrass'} beds; survey ${i}.`,
          authors: [`Marina Okafor${i % 13}`],
          categories: [i % 2 === 0 ? 'q-bio.PE' : 'cs.CV'],
        }),
      ),
    );
    await env.store.papers.upsertMany([
      paper({ arxivId: '2507.00002', title: 'manatee seagrass replaced', abstract: 'A new version.' }),
    ]);
    for (const id of ['2507.00003', '2509.00005']) await env.store.papers.delete(id);
    await env.store.papers.upsertMany([paper({ arxivId: '2509.00005', title: 'dugong back again' })]);
    await onWorker.sync();
    await here.sync();
    expect(analyzed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1200);
    onWorker.lexical.saveTo(join(dir, 'worker.bin'));
    here.lexical.saveTo(join(dir, 'here.bin'));
    expect(readFileSync(join(dir, 'worker.bin')).equals(readFileSync(join(dir, 'here.bin')))).toBe(true);
    expect((await onWorker.searchLexical('dugong zostera7', { k: 5 })).length).toBeGreaterThan(0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('puts thousands of new vectors in the graph in slices, timers firing between them', async () => {
  const ix = new SearchIndexes(env.store, { dir: null, approximateAbove: 50 });
  await ix.open();
  const ids = (await env.store.papers.changesSince(0, 100_000)).map((c) => c.paperId);
  const live = [...new Set(ids)].filter((id) => ix.lexical.has(id));
  // 64 dimensions: inserting a few thousand of them in a graph takes well over one slice of the event loop.
  const DIM = 64;
  const vector = (i: number, turn: number) =>
    Float32Array.from({ length: DIM }, (_, j) => Math.cos((i + turn) * (j + 1)));
  const put = (turn: number) =>
    env.store.vectors.put(
      'pace-m',
      live.map((paperId, i) => ({ paperId, contentHash: `h${turn}`, vector: vector(i, turn) })),
    );
  await put(0);
  await ix.useModel('pace-m', DIM);
  expect(ix.vectors?.size).toBe(live.length);
  // Every vector stored again: thousands of new rows for the served graph.
  await put(1);
  expect(await turnsDuring(() => ix.sync())).toBeGreaterThan(0);
  // The row is the new one, not the old (rows are kept as int8, so compared by cosine).
  const unit = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
  expect(ix.vectors?.similarity(live[7]!, unit(vector(7, 1)))).toBeGreaterThan(0.98);
  expect(ix.vectors?.similarity(live[7]!, unit(vector(7, 0)))).toBeLessThan(0.9);
});
