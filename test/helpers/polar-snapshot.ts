// A small store of 160 "polar" papers, embedded by a toy model, with one saved index generation (lexical index,
// vector rows and their HNSW graph): the starting point of tests that damage, swap or race a snapshot.
import { join } from 'node:path';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { embedPending } from '../../src/services/search/embed-service.ts';
import { SearchIndexes } from '../../src/services/search/search-indexes.ts';
import { currentSnapshot } from '../../src/services/search/snapshot-folder.ts';
import { paper, tempStore, type TempStore } from './temp-store.ts';

export const POLAR_MODEL = 'toy-v1';
export const POLAR_DIM = 8;
const WORDS = ['walrus', 'penguin', 'narwhal', 'krill', 'iceberg', 'seal', 'orca', 'plankton'];

/** A deterministic toy embedder: one axis per animal word in the text. */
export const polarEmbedder: Embedder = {
  model: POLAR_MODEL,
  dimension: POLAR_DIM,
  embed: async (texts) =>
    texts.map((t) => {
      const v = Float32Array.from(WORDS, (w, i) => (t.toLowerCase().includes(w) ? 1 : 0.01 * (i + 1)));
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    }),
};

/** A temp store of the 160 papers, embedded, and the generation saved under `<env.dir>/good` (`good`: its folder). */
export async function polarSnapshot(): Promise<{ env: TempStore; good: string }> {
  const env = await tempStore();
  await env.store.papers.upsertMany(
    Array.from({ length: 160 }, (_, i) =>
      paper({
        arxivId: `2501.${String(i + 1).padStart(5, '0')}`,
        title: `${WORDS[i % 8]} and ${WORDS[(i * 3) % 8]} study ${i}`,
        abstract: `On the ${WORDS[(i * 5) % 8]} of polar seas, part ${i}.`,
      }),
    ),
  );
  await embedPending(env.store, polarEmbedder);
  const dir = join(env.dir, 'good');
  // approximateAbove 50: the vectors go through an HNSW graph, saved beside them.
  const first = new SearchIndexes(env.store, { dir, approximateAbove: 50 });
  await first.open();
  await first.useModel(POLAR_MODEL, POLAR_DIM);
  first.save();
  return { env, good: currentSnapshot(dir) ?? '' };
}
