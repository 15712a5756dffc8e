// The Embedder over a trained static model: tokenize, sum weighted token vectors, normalise. No I/O, no threads.
import type { Embedder } from '../embedder.ts';
import { poolInto, type StaticModel } from './static-model.ts';
import { toBag } from './vocabulary.ts';

/**
 * Wraps a static model in the Embedder interface; embedding is synchronous work, tens of thousands of abstracts a second.
 * @example const e = createStaticEmbedder(await loadStaticModel(path)); const [v] = await e.embed(['protein folding']);
 */
export function createStaticEmbedder(model: StaticModel): Embedder {
  return {
    model: model.name,
    dimension: model.dimension,
    embed: async (texts) => texts.map((t) => embedOne(model, t)),
  };
}

/**
 * Embeds one text with a static model into a new unit vector.
 * @example const v = embedOne(model, 'graph neural networks');
 */
export function embedOne(model: StaticModel, text: string): Float32Array {
  return poolInto(model, toBag(model.vocab, text), new Float32Array(model.dimension));
}
