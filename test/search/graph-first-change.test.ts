// A mapped HNSW graph is read-only, and reading it whole for a change took 35 s and 3.4 GiB at 2.7M papers
// (docs/BENCHMARKS.md "first change to a mapped graph"): serve's new and deleted papers leave it mapped (rows added
// since go to a side graph), are found or dropped at once, and a saved generation keeps them so. The rows stay read
// in place too (those added since held beside the file), and after a save from the new generation's file.
import { dirname } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import { paper, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

it('keeps the mapped graph through new and deleted papers, finds and drops them, and saves them for the next start', async () => {
  const reads: string[] = [];
  const rowsRead: string[] = [];
  const open = async (): Promise<SearchIndexes> => {
    const ix = new SearchIndexes(env.store, {
      dir: dirname(good),
      approximateAbove: 50,
      onGraphRead: (file) => reads.push(file),
      onRowsRead: (file) => rowsRead.push(file),
    });
    await ix.open();
    await ix.useModel(POLAR_MODEL, POLAR_DIM);
    return ix;
  };
  const ix = await open();
  const narwhal = (await polarEmbedder.embed(['narwhal tusks']))[0]!;
  expect(ix.vectors?.search(narwhal, 10)).toHaveLength(10);
  expect(ix.vectors?.mode).toBe('approximate');
  await env.store.papers.upsertMany([
    paper({ arxivId: '2502.00001', title: 'narwhal tusks', abstract: 'The narwhal tusk, measured.' }),
    paper({ arxivId: '2502.00002', title: 'narwhal songs', abstract: 'Narwhal calls under ice.' }),
  ]);
  await embedPending(env.store, polarEmbedder);
  await env.store.papers.delete('2501.00003');
  await ix.upToDate(undefined, 0);
  const ids = (ix.vectors?.search(narwhal, 200) ?? []).map(([id]) => id);
  expect(ids).toContain('2502.00001');
  expect(ids).toContain('2502.00002');
  expect(ids).not.toContain('2501.00003');
  expect(ix.vectors?.size).toBe(161);
  // Neither the graph nor the rows were read into memory for these changes.
  expect(reads).toEqual([]);
  expect(rowsRead).toEqual([]);
  expect(ix.vectors?.pagedSections()[0]?.place.file).toBe(`${good}/vectors.bin`);
  ix.save();
  const next = currentSnapshot(dirname(good));
  expect(next).not.toBe(good);
  expect(ix.vectors?.pagedSections()[0]?.place.file).toBe(`${next}/vectors.bin`);
  expect((ix.vectors?.search(narwhal, 200) ?? []).map(([id]) => id)).toEqual(ids);
  const restarted = await open();
  const again = (restarted.vectors?.search(narwhal, 200) ?? []).map(([id]) => id);
  expect(again).toContain('2502.00001');
  expect(again).not.toContain('2501.00003');
  expect(restarted.vectors?.size).toBe(161);
  expect(reads).toEqual([]);
  expect(rowsRead).toEqual([]);
});
