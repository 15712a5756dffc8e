// The Embedder over a trained static model: tokenize, sum weighted token vectors, normalise. No I/O, no threads.
import type { Embedder } from '../embedder.ts';
import { poolInto, type StaticModel } from './static-model.ts';
import { tokenMatch } from './token-match.ts';
import { tokenize } from './tokenizer.ts';
import { bagMaker, toBag } from './vocabulary.ts';
import { DEFAULT_FUSION } from '../../../domain/fusion-defaults.ts';

/**
 * Wraps a static model in the Embedder interface; embedding is synchronous work, tens of thousands of abstracts a second.
 * @example const e = createStaticEmbedder(await loadStaticModel(path)); const [v] = await e.embed(['protein folding']);
 */
export function createStaticEmbedder(model: StaticModel): Embedder {
  // Each distinct word stemmed and looked up once per embedder, not at every occurrence: the same vectors as `embedOne`.
  const makeBag = bagMaker(model.vocab);
  return {
    model: model.name,
    dimension: model.dimension,
    fusionWeight: staticFusionWeight(model),
    embed: async (texts) =>
      texts.map((t) => {
        const bag = makeBag(t);
        model.ensureRows?.(bag.ids);
        return poolInto(model, bag, new Float32Array(model.dimension));
      }),
    tokenMatch: (query, texts) => tokenMatch(model, query, texts),
    warm: () => model.ensureAllRows?.(),
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

/** The fusion weight tuned for a static model: DEFAULT_FUSION's for its minDf (an older model's is lower). */
export function staticFusionWeight(model: Pick<StaticModel, 'training'>): number {
  return (model.training.minDf ?? 2) <= 1 ? DEFAULT_FUSION.staticWeight : DEFAULT_FUSION.olderStaticWeight;
}
