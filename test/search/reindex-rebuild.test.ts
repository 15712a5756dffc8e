// `paperboy reindex` rebuilds from the store alone: a stale snapshot is neither loaded first nor trusted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

const embedder: Embedder = {
  model: 'toy-v1',
  dimension: 2,
  embed: async (ts) =>
    ts.map((t) => Float32Array.from([t.length % 7, 1]).map((x, _, a) => x / Math.hypot(...a))),
};

it('rebuilds every paper and vector from the store, whatever the current snapshot says', async () => {
  const ids = ['2501.00001', '2501.00002', '2501.00003'];
  await env.store.papers.upsertMany(
    ids.map((arxivId) => paper({ arxivId, title: `Walrus tusks ${arxivId}` })),
  );
  await embedPending(env.store, embedder);
  const dir = join(env.dir, 'index');

  // A snapshot that lost one paper from each index while claiming to be up to date.
  const first = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await first.open();
  await first.useModel('toy-v1', 2);
  first.lexical.remove(ids[1]!);
  first.vectors?.remove(ids[2]!);
  first.save();
  const stale = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await stale.open();
  await stale.useModel('toy-v1', 2);
  expect(stale.lexical.size).toBe(2);
  expect(stale.vectors?.size).toBe(2);

  const rebuilt = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await rebuilt.rebuild('toy-v1', 2);
  expect(
    rebuilt.lexical
      .search(plainQuery('walrus'), { k: 10 })
      .map(([id]) => id)
      .sort(),
  ).toEqual(ids);
  expect(rebuilt.vectors?.size).toBe(3);
  await rebuilt.open(); // does not reload the snapshot over the rebuilt indexes
  expect(rebuilt.lexical.size).toBe(3);
  rebuilt.save();
  const after = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await after.open();
  await after.useModel('toy-v1', 2);
  expect([after.lexical.size, after.vectors?.size]).toEqual([3, 3]);
});

it('steps through a rebuild, then releases both indexes and opens them again from the snapshot (reindex)', async () => {
  const ids = ['2501.00001', '2501.00002', '2501.00003'];
  await env.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Walrus ${arxivId}` })));
  await embedPending(env.store, embedder);
  const ix = new SearchIndexes(env.store, { dir: join(env.dir, 'index'), approximateAbove: 10_000 });
  const steps: [string, number][] = [];
  await ix.rebuild('toy-v1', 2, undefined, (step, n) => void steps.push([step, n]));
  expect(steps).toEqual([
    ['lexical postings', 3],
    ['lexical write', 3],
    ['vectors', 3],
  ]);
  ix.save();
  const { lexical, vectors } = ix;
  ix.release();
  // Nothing of the rebuilt indexes is held any more (reindex writes the lookup file without them).
  expect(ix.lexical).not.toBe(lexical);
  expect([ix.lexical.size, ix.vectors, ix.isOpen]).toEqual([0, null, false]);
  expect(vectors).not.toBeNull();
  await ix.open();
  await ix.useModel('toy-v1', 2);
  expect([ix.lexical.size, ix.vectors?.size]).toEqual([3, 3]);
  expect(ix.lexical.search(plainQuery('walrus'), { k: 10 }).length).toBe(3);
});

it('waits for a step hook before the next step, and a rejected one fails the rebuild leaving no build folder or generation', async () => {
  const ids = ['2501.00001', '2501.00002'];
  await env.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Walrus ${arxivId}` })));
  await embedPending(env.store, embedder);
  const dir = join(env.dir, 'index');
  const ix = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  const steps: string[] = [];
  // A step hook that waits (reindex waits for its lookup worker), then fails (the worker failed).
  const hook = async (step: string): Promise<void> => {
    steps.push(step);
    if (step !== 'lexical write') return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    steps.push('waited');
    throw new Error('the lookup worker failed');
  };
  await expect(ix.rebuild('toy-v1', 2, undefined, hook)).rejects.toThrow('the lookup worker failed');
  expect(steps).toEqual(['lexical postings', 'lexical write', 'waited']);
  // The lexical file written for the generation went with its build folder; no generation was saved.
  expect(readdirSync(dir)).toEqual([]);
});

it('stops a rebuild between pages when asked (Ctrl-C on reindex), leaving the snapshot on disk as it was', async () => {
  // 2,500 papers: two pages of the store, so the stop lands after the first one.
  const ids = Array.from({ length: 2500 }, (_, i) => `2502.${String(i).padStart(5, '0')}`);
  await env.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Narwhal ${arxivId}` })));
  const dir = join(env.dir, 'index');
  const before = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await before.open();
  before.lexical.remove(ids[0]!); // marks the saved snapshot, so a rewrite would show
  before.save();

  const ac = new AbortController();
  const pages: number[] = [];
  const stopped = new SearchIndexes(env.store, {
    dir,
    approximateAbove: 10_000,
    onProgress: (_what, done) => {
      pages.push(done);
      ac.abort();
    },
  });
  await expect(stopped.rebuild(null, 0, ac.signal)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  expect(pages).toEqual([2000]);
  await expect(stopped.rebuild(null, 0, AbortSignal.abort())).rejects.toMatchObject({ code: 'INTERRUPTED' });

  const reopened = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await reopened.open();
  expect(reopened.lexical.has(ids[0]!)).toBe(false); // still the marked snapshot
  expect(reopened.lexical.size).toBe(2499);
});

it('reuses the last snapshot graph when the rebuilt vectors are unchanged, and rebuilds it when one changed', async () => {
  const ids = Array.from({ length: 12 }, (_, i) => `2501.${String(i + 1).padStart(5, '0')}`);
  await env.store.papers.upsertMany(ids.map((arxivId) => paper({ arxivId, title: `Narwhal ${arxivId}` })));
  await embedPending(env.store, embedder);
  const dir = join(env.dir, 'index');
  const said: string[] = [];
  const opts = { dir, approximateAbove: 4, onProgress: (what: string) => void said.push(what) };

  const first = new SearchIndexes(env.store, opts);
  await first.rebuild('toy-v1', 2);
  first.save();
  expect(said).not.toContain('vector graph reused');

  const second = new SearchIndexes(env.store, opts);
  await second.rebuild('toy-v1', 2);
  expect(said).toContain('vector graph reused');
  expect(second.vectors?.mode).toBe('approximate');
  expect(second.vectors?.search(Float32Array.from([0.6, 0.8]), 3)).toHaveLength(3);
  second.save();

  // One paper's vector changes in the store: the rows differ, so the graph is built again.
  said.length = 0;
  await env.store.papers.upsertMany([paper({ arxivId: ids[0]!, title: 'Narwhal tusks are teeth' })]);
  await embedPending(env.store, embedder);
  const third = new SearchIndexes(env.store, opts);
  await third.rebuild('toy-v1', 2);
  expect(said).not.toContain('vector graph reused');
  expect(third.vectors?.size).toBe(12);
});
