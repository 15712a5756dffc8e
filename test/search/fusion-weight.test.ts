// Which fusion weight hybrid search uses: SEARCH_SEMANTIC_WEIGHT when set, else the embedder's own, else the default.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { staticFusionWeight } from '../../src/index/embedders/static/static-embedder.ts';
import { DEFAULT_FUSION } from '../../src/rank/hybrid.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { createSearchService } from '../../src/services/search/search-service.ts';
import { paper, tempStore, type TempStore } from '../helpers/temp-store.ts';

let env: TempStore;
beforeEach(async () => {
  env = await tempStore();
  // 'words' matches the query's words twice; 'meaning' only once but points the query's way.
  await env.store.papers.upsertMany([
    paper({ arxivId: '2501.00001', title: 'Gripper control gripper control', abstract: 'Robots.' }),
    paper({ arxivId: '2501.00002', title: 'Gripper hands', abstract: 'Robots that hold things.' }),
  ]);
});
afterEach(() => env.cleanup());

/** 'Gripper hands' (and the query) point one way, everything else the other. */
function toyEmbedder(fusionWeight: number | undefined): Embedder {
  const vec = (t: string): Float32Array =>
    /hands|query/i.test(t) ? Float32Array.from([1, 0]) : Float32Array.from([0, 1]);
  return { model: 'toy-v1', dimension: 2, fusionWeight, embed: async (ts) => ts.map(vec) };
}

async function topFor(semanticWeight: number | undefined, fusionWeight: number | undefined): Promise<string> {
  const embedder = toyEmbedder(fusionWeight);
  await embedPending(env.store, embedder);
  const indexes = new SearchIndexes(env.store, { dir: null, approximateAbove: 10_000 });
  const search = createSearchService({
    store: env.store,
    indexes,
    embedder: async () => embedder,
    semanticWeight,
    similarWeight: 0.5,
    depth: 100,
    embedTimeoutMs: 2000,
  });
  const r = await search.search('gripper control query', { k: 2 });
  expect(r.mode).toBe('hybrid');
  return r.hits[0]!.paper.id;
}

describe('hybrid fusion weight', () => {
  it("uses the embedder's own weight when none is configured", async () => {
    expect(await topFor(undefined, 0)).toBe('2501.00001');
    expect(await topFor(undefined, 1)).toBe('2501.00002');
  });

  it('lets SEARCH_SEMANTIC_WEIGHT override the embedder', async () => {
    expect(await topFor(0, 1)).toBe('2501.00001');
    expect(await topFor(1, 0)).toBe('2501.00002');
  });

  it('gives static models trained before every token was learned their old weight', () => {
    const training = { docs: 1, epochs: 1, steps: 1, seed: 1, seconds: 1, finalLoss: 0 };
    expect(staticFusionWeight({ training })).toBe(0.35);
    expect(staticFusionWeight({ training: { ...training, minDf: 2 } })).toBe(0.35);
    expect(staticFusionWeight({ training: { ...training, minDf: 1 } })).toBe(0.75);
  });

  it('takes the static weights from the one table of fusion defaults', () => {
    const training = { docs: 1, epochs: 1, steps: 1, seed: 1, seconds: 1, finalLoss: 0, minDf: 1 };
    expect(staticFusionWeight({ training })).toBe(DEFAULT_FUSION.staticWeight);
    expect(staticFusionWeight({ training: { ...training, minDf: 2 } })).toBe(
      DEFAULT_FUSION.olderStaticWeight,
    );
  });
});
