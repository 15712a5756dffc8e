// `paperboy embed`'s snapshot: vectors and graph only, the lexical file carried over; serve after it answers as after reindex.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { followVectorsInWorker } from '../../src/services/search/vector-snapshot-in-worker.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
let dir = '';
beforeEach(async () => {
  env = await tempStore();
  dir = join(env.dir, 'index');
});
afterEach(() => env.cleanup());

const WORDS = ['walrus', 'tusk', 'ice', 'krill', 'seal', 'orca', 'floe', 'pod', 'brine', 'shelf', 'gull'];
const DIM = 8;

/** Distinct unit vectors from the text's characters, so nearest neighbours are well defined. */
const embedder: Embedder = {
  model: 'toy-v1',
  dimension: DIM,
  embed: async (ts) =>
    ts.map((t) => {
      const v = new Float32Array(DIM);
      for (let i = 0; i < t.length; i++) v[i % DIM]! += (t.charCodeAt(i) * (i + 1)) % 17;
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    }),
};

async function addPapers(from: number, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, (_, i) => `2503.${String(from + i).padStart(5, '0')}`);
  await env.store.papers.upsertMany(
    ids.map((arxivId, i) =>
      paper({
        arxivId,
        title: `${WORDS[i % WORDS.length]} ${WORDS[(i * 7) % WORDS.length]} survey ${arxivId}`,
        abstract: `On the ${WORDS[(i * 3) % WORDS.length]} of ${WORDS[(i * 5) % WORDS.length]} number ${i}.`,
      }),
    ),
  );
  return ids;
}

/** Indexes as serve opens them (snapshot first, then the store's changes), with what was rebuilt. */
async function served(): Promise<{ ix: SearchIndexes; rebuilt: string[] }> {
  const rebuilt: string[] = [];
  // approximateAbove 50: the 300 vectors are searched through the HNSW graph, the part embed must not rebuild twice.
  const ix = new SearchIndexes(env.store, { dir, approximateAbove: 50, onProgress: (w) => rebuilt.push(w) });
  await ix.open();
  await ix.useModel(embedder.model, DIM);
  return { ix, rebuilt: [...new Set(rebuilt)] };
}

async function answers(ix: SearchIndexes): Promise<unknown[]> {
  const [q] = await embedder.embed(['walrus tusk survey on the krill of seal']);
  return [
    ix.lexical.search(plainQuery('walrus krill'), { k: 20 }),
    ix.lexical.search(plainQuery('orca'), { k: 20 }),
    ix.vectors?.search(q!, 10),
    ix.vectors?.mode,
  ];
}

/** Serve after the snapshot just written, then after `reindex` (which must take its graph as it is): same answers. */
async function expectServeAsAfterReindex(): Promise<void> {
  const gen = currentSnapshot(dir)!;
  expect(existsSync(join(gen, 'lexical.bin'))).toBe(false);
  expect(existsSync(join(gen, 'vectors.bin.hnsw'))).toBe(true);

  const afterEmbed = await served();
  expect(afterEmbed.rebuilt).toEqual(['lexical index']); // the vectors and their graph come from the snapshot
  expect(afterEmbed.ix.vectors?.size).toBe(300);
  const fromEmbed = await answers(afterEmbed.ix);

  const reindexProgress: string[] = [];
  const reindex = new SearchIndexes(env.store, {
    dir,
    approximateAbove: 50,
    onProgress: (w) => reindexProgress.push(w),
  });
  await reindex.rebuild(embedder.model, DIM);
  reindex.save();
  expect(reindexProgress).toContain('vector graph reused'); // embed's rows and graph, taken as they are

  const afterReindex = await served();
  expect(afterReindex.rebuilt).toEqual([]);
  expect(await answers(afterReindex.ix)).toEqual(fromEmbed);
}

it('writes vectors and graph without building the lexical index; serve after it answers as serve after reindex', async () => {
  await addPapers(0, 300);
  await embedPending(env.store, embedder);
  const progress: string[] = [];
  const embed = new SearchIndexes(env.store, {
    dir,
    approximateAbove: 50,
    // Its graph laid out in neighbourhood order, as embed does from 100,000 vectors: serve answers the same.
    graphLayoutAbove: 0,
    onProgress: (w) => progress.push(w),
  });
  expect(await embed.snapshotVectors(embedder.model, DIM)).toEqual({ lexical: false });
  expect(progress).not.toContain('lexical index');
  expect(progress).toContain('graph layout');
  await expectServeAsAfterReindex();
});

it('follows an embedding pass on another thread; reindex then takes its rows and graph as they are', async () => {
  await addPapers(0, 300);
  const follower = followVectorsInWorker({
    databaseUrl: env.path,
    dir,
    approximateAbove: 50,
    graphLayoutAbove: 0,
    model: embedder.model,
    dimension: DIM,
  });
  await embedPending(env.store, embedder, { batchSize: 40, onProgress: () => follower.more() });
  expect(await follower.finish()).toEqual({ lexical: false });
  await expectServeAsAfterReindex();
});

it('writes nothing when the pass is cancelled', async () => {
  await addPapers(0, 100);
  const follower = followVectorsInWorker({
    databaseUrl: env.path,
    dir,
    approximateAbove: 50,
    model: embedder.model,
    dimension: DIM,
  });
  await embedPending(env.store, embedder, { batchSize: 40, onProgress: () => follower.more() });
  await follower.cancel();
  expect(currentSnapshot(dir)).toBeNull();
});

it('carries the lexical snapshot over unchanged and adds new vectors to the saved graph', async () => {
  await addPapers(0, 200);
  await embedPending(env.store, embedder);
  const reindex = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
  await reindex.rebuild(embedder.model, DIM);
  reindex.save();
  const lexicalBefore = join(currentSnapshot(dir)!, 'lexical.bin');
  const bytes = readFileSync(lexicalBefore);

  const added = await addPapers(500, 100);
  await embedPending(env.store, embedder);
  const embed = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
  expect(await embed.snapshotVectors(embedder.model, DIM)).toEqual({ lexical: true });
  const gen = currentSnapshot(dir)!;
  expect(readFileSync(join(gen, 'lexical.bin')).equals(bytes)).toBe(true);
  expect(statSync(join(gen, 'lexical.bin')).ino).toBe(statSync(lexicalBefore).ino); // linked, not rewritten

  const { ix, rebuilt } = await served();
  expect(rebuilt).toEqual([]);
  expect([ix.lexical.size, ix.vectors?.size]).toEqual([300, 300]); // the new papers from the change log
  const [v] = await embedder.embed([`${WORDS[0]} x`]);
  expect(ix.vectors?.has(added[0]!)).toBe(true);
  expect(ix.vectors?.search(v!, 5).length).toBe(5);
});

it('drops vectors of papers deleted after the vectors were read', async () => {
  const ids = await addPapers(0, 120);
  await embedPending(env.store, embedder);
  await new SearchIndexes(env.store, { dir, approximateAbove: 50 }).snapshotVectors(embedder.model, DIM);
  await env.store.papers.delete(ids[7]!);

  const { ix } = await served();
  expect(ix.lexical.has(ids[7]!)).toBe(false);
  expect(ix.vectors?.has(ids[7]!)).toBe(false);
  expect(ix.vectors?.size).toBe(119);
});
