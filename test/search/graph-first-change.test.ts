// A mapped HNSW graph is read-only: the first change to the vectors reads it whole into memory (at 2.7M papers
// ~35 s and ~3.4 GiB, docs/BENCHMARKS.md "first change to a mapped graph"), and the process is told so, once.
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

it('tells when the mapped graph is read into memory for the first new vector, once, and finds the new paper', async () => {
  const reads: [string, number][] = [];
  const ix = new SearchIndexes(env.store, {
    dir: dirname(good),
    approximateAbove: 50,
    onGraphRead: (file, ms) => reads.push([file, ms]),
  });
  await ix.open();
  await ix.useModel(POLAR_MODEL, POLAR_DIM);
  const narwhal = (await polarEmbedder.embed(['narwhal']))[0]!;
  // Searches read the mapped graph; nothing is read into memory for them.
  expect(ix.vectors?.search(narwhal, 10)).toHaveLength(10);
  expect(ix.vectors?.mode).toBe('approximate');
  expect(reads).toEqual([]);
  await env.store.papers.upsertMany([
    paper({ arxivId: '2502.00001', title: 'narwhal tusks', abstract: 'The narwhal tusk, measured.' }),
  ]);
  await embedPending(env.store, polarEmbedder);
  await ix.upToDate(undefined, 0);
  expect(ix.vectors?.has('2502.00001')).toBe(true);
  expect(reads).toHaveLength(1);
  expect(reads[0]![0]).toBe(`${good}/vectors.bin.hnsw`);
  expect(reads[0]![1]).toBeGreaterThanOrEqual(0);
  await env.store.papers.upsertMany([
    paper({ arxivId: '2502.00002', title: 'narwhal songs', abstract: 'Narwhal calls under ice.' }),
  ]);
  await embedPending(env.store, polarEmbedder);
  await ix.upToDate(undefined, 0);
  // In memory now: the second change reads nothing.
  expect(reads).toHaveLength(1);
  const ids = (ix.vectors?.search(narwhal, 200) ?? []).map(([id]) => id);
  expect(ids).toContain('2502.00002');
});
