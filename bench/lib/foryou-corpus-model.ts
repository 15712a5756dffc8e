// The For-you evaluation's vectors: the corpus-trained static model (cached by corpus hash) and each paper's embedding.
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import type { BenchDoc } from './arxiv-corpus.ts';
import { embedCached } from './embedding-cache.ts';
import { createEmbedder } from './static-embedder-module.ts';

/**
 * Trains (or loads) the static model on every paper's title and abstract, then embeds each paper.
 * @example const { embedder, vectors } = await corpusVectors(docs); vectors.get('2503.11677')
 */
export async function corpusVectors(
  docs: readonly BenchDoc[],
): Promise<{ embedder: Embedder; vectors: Map<string, Float32Array> }> {
  const texts = docs.map((d) => `${d.title}\n${d.abstract}`);
  const embedder = await createEmbedder({ corpus: texts });
  const { vectors } = await embedCached(embedder, texts, 'corpus');
  return { embedder, vectors: new Map(docs.map((d, i) => [d.id, vectors[i] as Float32Array])) };
}
