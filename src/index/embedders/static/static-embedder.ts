// The Embedder over a trained static model: tokenize, sum weighted token vectors, normalise. No I/O, no threads.
import type { Embedder } from '../embedder.ts';
import { poolInto, type StaticModel } from './static-model.ts';
import { tokenMatch } from './token-match.ts';
import { tokenize } from './tokenizer.ts';
import { toBag } from './vocabulary.ts';

/**
 * Wraps a static model in the Embedder interface; embedding is synchronous work, tens of thousands of abstracts a second.
 * @example const e = createStaticEmbedder(await loadStaticModel(path)); const [v] = await e.embed(['protein folding']);
 */
export function createStaticEmbedder(model: StaticModel): Embedder {
  return {
    model: model.name,
    dimension: model.dimension,
    fusionWeight: staticFusionWeight(model),
    embed: async (texts) => texts.map((t) => embedOne(model, t)),
    tokenMatch: (query, texts) => tokenMatch(model, query, texts),
    knownWords(text) {
      const tokens = tokenize(text);
      return { known: tokens.filter((t) => model.vocab.ids.has(t)).length, total: tokens.length };
    },
  };
}

/**
 * Embeds one text with a static model into a new unit vector.
 */
export function embedOne(model: StaticModel, text: string): Float32Array {
  const bag = toBag(model.vocab, text);
  model.ensureRows?.(bag.ids);
  return poolInto(model, bag, new Float32Array(model.dimension));
}

/**
 * The fusion weight tuned for a static model on the SciFact eval: 0.75 for models that learn every token
 * (minDf 1, the default since 2026-11-29; chosen by 5-fold cross-validation together with the token-match
 * rerank's share 0.4 that search applies after fusing, issue 19 round 2), 0.35 for older models that
 * skipped one-paper words; their cosine carries less that BM25F lacks, and 0.6 would rank them below
 * lexical search.
 * @example staticFusionWeight(model) // 0.75
 */
export function staticFusionWeight(model: Pick<StaticModel, 'training'>): number {
  return (model.training.minDf ?? 2) <= 1 ? 0.75 : 0.35;
}
