// The corpus-trained static model for the evaluation (`--embedder static`, the default): trained on the corpus only, cached by corpus hash.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import {
  createStaticEmbedder,
  DEFAULT_TRAINING,
  loadStaticModel,
  saveStaticModel,
  trainStaticModel,
} from '../../src/index/embedders/static/index.ts';
import { DEFAULT_PAIR_MIX } from '../../src/index/embedders/static/training-pairs.ts';
import { createSampler } from '../../src/services/search/training-sample.ts';
import type { TrainOptions } from '../../src/index/embedders/static/trainer.ts';

/**
 * Training knobs to try without changing the defaults: `STATIC_TRAIN='{"hardNegatives":1}'` (JSON of
 * TrainOptions' plain fields). They join the cache key, so each setting trains and caches its own model.
 */
function trainOverrides(): Partial<TrainOptions> {
  const raw = process.env.STATIC_TRAIN;
  return raw === undefined || raw === '' ? {} : (JSON.parse(raw) as Partial<TrainOptions>);
}

/**
 * The eval passes each paper as "title\ntext"; the first line is the title. Queries are never seen here.
 * @example const e = await createEmbedder({ corpus: ['Title\nAbstract…'] });
 */
export async function createEmbedder(
  context: { readonly corpus: readonly string[] },
  seed = 1,
  sample?: number,
  pairs?: number,
): Promise<Embedder> {
  const path = staticModelPath(context, seed, sample, pairs);
  if (existsSync(path)) return createStaticEmbedder(await loadStaticModel(path));
  // Picked as `paperboy train --sample` picks papers: the same sampler over the corpus in its order.
  const pick =
    sample === undefined ? () => true : createSampler({ size: sample, total: context.corpus.length, seed });
  const all = context.corpus.map((text) => {
    const cut = text.indexOf('\n');
    return cut < 0
      ? { title: '', abstract: text }
      : { title: text.slice(0, cut), abstract: text.slice(cut + 1) };
  });
  const docs = all.filter(() => pick());
  let last = 0;
  const model = await trainStaticModel(docs, {
    ...trainOverrides(),
    seed,
    pairs,
    // As `paperboy train --sample`: the sample's pairs, the whole corpus's vocabulary.
    vocabularyFrom: sample === undefined ? undefined : all,
    onProgress: (p) => {
      if (p.phase === 'train' && p.done - last >= 50)
        process.stderr.write(
          `static model: step ${(last = p.done)}/${p.total}, loss ${p.loss?.toFixed(3)}\n`,
        );
    },
  });
  await saveStaticModel(model, path);
  return createStaticEmbedder(model);
}

/**
 * Where the model trained on this corpus with this seed (and sample) is cached, trained or not yet.
 * @example const path = staticModelPath({ corpus }, 1);
 */
export function staticModelPath(
  context: { readonly corpus: readonly string[] },
  seed = 1,
  sample?: number,
  pairs?: number,
): string {
  // Keyed by the corpus and the training defaults, so changing a default trains a fresh model; seed 1 (the
  // default) keeps the key models were cached under before seeds could be chosen.
  const hash = createHash('sha256')
    .update(
      JSON.stringify({
        ...DEFAULT_TRAINING,
        mix: DEFAULT_PAIR_MIX,
        ...(seed === 1 ? {} : { seed }),
        ...(sample === undefined ? {} : { sample, vocabulary: 'all' }),
        ...(pairs === undefined ? {} : { pairs }),
        ...trainOverrides(),
      }),
    )
    .update(context.corpus.join('\u0000'))
    .digest('hex')
    .slice(0, 16);
  return resolve(import.meta.dirname, '../../.cache/static-models', `${hash}.pbm`);
}
