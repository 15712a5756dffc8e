// The start-up warm-up (serve): searches of the commonest words while the start-up checks hold readers' searches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLexicalIndex } from '../../src/index/lexical/lexical-index.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService, type SearchService } from '../../src/services/search/search-service.ts';
import { POLAR_DIM, POLAR_MODEL, polarEmbedder, polarSnapshot } from '../helpers/polar-snapshot.ts';
import type { TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
let good = '';
beforeAll(async () => {
  ({ env, good } = await polarSnapshot());
});
afterAll(() => env.cleanup());

async function opened(): Promise<{ ix: SearchIndexes; service: SearchService }> {
  const ix = new SearchIndexes(env.store, { dir: good, approximateAbove: 50 });
  const service = createSearchService({
    store: env.store,
    indexes: ix,
    embedder: async () => polarEmbedder,
    semanticWeight: undefined,
    similarWeight: 0.5,
    depth: 100,
    embedTimeoutMs: 5000,
  });
  return { ix, service };
}

describe('commonTerms', () => {
  it('lists the terms held by the most papers, most first, ties by first seen', () => {
    const index = createLexicalIndex();
    const add = (id: string, title: string): void =>
      index.add({ id, title, abstract: '', authors: [], categories: ['cs.CL'], date: '2025-01-01' });
    add('a', 'walrus krill');
    add('b', 'walrus seal krill');
    add('c', 'walrus orca');
    add('d', 'orca seal');
    add('e', 'narwhal');
    expect(index.commonTerms(3)).toEqual(['walru', 'krill', 'seal']);
    expect(index.commonTerms(1)).toEqual(['walru']);
    expect(index.commonTerms(10)).toEqual(['walru', 'krill', 'seal', 'orca', 'narwhal']);
    expect(createLexicalIndex().commonTerms(5)).toEqual([]);
  });
});

describe('warmSearches', () => {
  it('answers searches of the commonest words while readers are held, and none once they are not', async () => {
    const { ix, service } = await opened();
    ix.holdSearches();
    await ix.open();
    await ix.useModel(POLAR_MODEL, POLAR_DIM);
    let readerAnswered = false;
    const reader = service.search('narwhal krill', { k: 10 }).then((r) => {
      readerAnswered = true;
      return r;
    });
    // Pairs of the twelve commonest words and one query of four of them, each hybrid and lexical.
    const common = ix.lexical.commonTerms(12);
    expect(common).toHaveLength(12);
    expect(await service.warmSearches()).toBe(2 * (6 + 1));
    // The reader still waits for the hold (the checks), which the warm-up did not end.
    expect(readerAnswered).toBe(false);
    ix.releaseSearches();
    const held = await reader;
    expect(held.hits.length).toBeGreaterThan(0);
    expect(await service.warmSearches()).toBe(0);
    // What readers get is what an index never warmed gives.
    const fresh = await opened();
    await fresh.ix.open();
    await fresh.ix.useModel(POLAR_MODEL, POLAR_DIM);
    const ids = async (s: SearchService, mode: 'hybrid' | 'lexical'): Promise<string[]> =>
      (await s.search('walrus krill', { k: 10, mode })).hits.map((h) => h.paper.id);
    for (const mode of ['hybrid', 'lexical'] as const)
      expect(await ids(service, mode)).toEqual(await ids(fresh.service, mode));
  });

  it('stops when the start-up checks end: the hold released mid-way leaves the rest unsearched', async () => {
    const { ix, service } = await opened();
    ix.holdSearches();
    await ix.open();
    await ix.useModel(POLAR_MODEL, POLAR_DIM);
    const warming = service.warmSearches();
    // Released while the first search is under way: that one finishes, no other starts.
    ix.releaseSearches();
    expect(await warming).toBe(1);
  });
});
