// `reindex` analyzing papers on a worker thread: the same snapshot bytes as analyzing them on one, and Ctrl-C safe.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { plainQuery } from '../../src/index/lexical/query.ts';
import { analyzedPagesInWorker } from '../../src/services/search/lexical-analyze-in-worker.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
});
afterEach(() => env.cleanup());

const WORDS =
  'walrus narwhal tusk ivory whale arctic ice floe krill plankton sonar pod migration café Größe'.split(' ');

/** 4,500 papers (three store pages, enough postings for the index to seal mid-build) of varied text. */
async function corpus(): Promise<string[]> {
  const ids = Array.from({ length: 4500 }, (_, i) => `2503.${String(i).padStart(5, '0')}`);
  const word = (i: number, k: number): string => WORDS[(i * 7 + k * 3) % WORDS.length]!;
  await env.store.papers.upsertMany(
    ids.map((arxivId, i) =>
      paper({
        arxivId,
        title: `${word(i, 1)} ${word(i, 2)} of term${i % 997}`,
        abstract: `${word(i, 3)} ${word(i, 4)} rare${i} ${word(i, 5)}. Code at https://github.com/x/y${i % 3}`,
        authors: [`Ada Author${i % 50}`, `Bo Écrivain${i % 13}`],
        categories: i % 4 === 0 ? ['cs.CL', 'CS.CL', 'q-bio.PE'] : ['physics.ao-ph'],
        announced: i % 9 === 0 ? null : `2025-0${1 + (i % 9)}-1${i % 10}`,
        comment: i % 5 === 0 ? 'Data: https://zenodo.org/record/1' : null,
      }),
    ),
  );
  return ids;
}

const lexicalBytes = (dir: string): Buffer => readFileSync(join(currentSnapshot(dir)!, 'lexical.bin'));

it('writes the same lexical snapshot, byte for byte, with papers analyzed in a worker as on this thread', async () => {
  const ids = await corpus();
  const serialDir = join(env.dir, 'serial');
  const serial = new SearchIndexes(env.store, { dir: serialDir, approximateAbove: 10_000 });
  await serial.rebuild(null, 0);
  serial.save();

  let pages = 0;
  const parallelDir = join(env.dir, 'parallel');
  const parallel = new SearchIndexes(env.store, {
    dir: parallelDir,
    approximateAbove: 10_000,
    analyzedPages: async function* (pageSize) {
      for await (const page of analyzedPagesInWorker(env.path, pageSize)) {
        pages++;
        yield page;
      }
    },
  });
  await parallel.rebuild(null, 0);
  expect(pages).toBe(3);
  expect(parallel.lexical.size).toBe(ids.length);
  expect(parallel.lexical.search(plainQuery('rare4321'), { k: 3 })).toEqual(
    serial.lexical.search(plainQuery('rare4321'), { k: 3 }),
  );
  parallel.save();
  expect(lexicalBytes(parallelDir).equals(lexicalBytes(serialDir))).toBe(true);
});

it('stops a worker rebuild between pages (Ctrl-C on reindex): the snapshot on disk stays, the worker ends', async () => {
  const ids = await corpus();
  const dir = join(env.dir, 'index');
  const before = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await before.open();
  before.lexical.remove(ids[0]!); // marks the saved snapshot, so a rewrite would show
  before.save();
  const saved = lexicalBytes(dir);

  const ac = new AbortController();
  let finished = false;
  const stopped = new SearchIndexes(env.store, {
    dir,
    approximateAbove: 10_000,
    onProgress: () => ac.abort(),
    analyzedPages: async function* (pageSize) {
      try {
        yield* analyzedPagesInWorker(env.path, pageSize);
      } finally {
        finished = true; // the worker is terminated once this generator is closed
      }
    },
  });
  await expect(stopped.rebuild(null, 0, ac.signal)).rejects.toMatchObject({ code: 'INTERRUPTED' });
  expect(finished).toBe(true);

  expect(lexicalBytes(dir).equals(saved)).toBe(true);
  const reopened = new SearchIndexes(env.store, { dir, approximateAbove: 10_000 });
  await reopened.open();
  expect(reopened.lexical.has(ids[0]!)).toBe(false); // still the marked snapshot, serving
  expect(reopened.lexical.size).toBe(ids.length - 1);
});
