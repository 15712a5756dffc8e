// Picks a seeded random sample of the stored papers for training, streaming them in store order.
import { AppError } from '../../errors.ts';
import { createRng, type TrainingText } from '../../index/embedders/static/index.ts';
import type { Store } from '../../store/store.ts';

/** Mixed into the seed so the sample's draws are not the same stream the trainer initialises from. */
const SAMPLE_STREAM = 0x5eed5a3f;

/**
 * Decides, item by item in a fixed order, whether each of `total` items is in a sample of `size` (Knuth's
 * Algorithm S): exactly `size` are picked (all when `size >= total`), each set of `size` equally likely, the same
 * set for the same seed and order. Items beyond `total` are picked only while the sample is still short.
 * @example const pick = createSampler({ size: 2, total: 5, seed: 1 }); items.filter(() => pick());
 */
export function createSampler(opts: { size: number; total: number; seed: number }): () => boolean {
  const rng = createRng((opts.seed ^ SAMPLE_STREAM) >>> 0);
  let needed = opts.size;
  let left = opts.total;
  return () => {
    if (needed <= 0) return false;
    // Picked with probability needed/left: every item ends up in the sample with probability size/total.
    const picked = left <= needed || rng.next() * left < needed;
    if (picked) needed -= 1;
    left -= 1;
    return picked;
  };
}

/**
 * A `createSampler` sample of the papers `store.papers.scan` yields, in store order: one pass, no shuffle, so
 * memory holds only the papers picked, not the corpus; the same seed and store give the same papers.
 * @example for await (const t of sampleTrainingTexts(store, { size: 20_000, total: await store.papers.count(), seed: 1 })) …
 */
export async function* sampleTrainingTexts(
  store: Store,
  opts: { size: number; total: number; seed: number; signal?: AbortSignal },
): AsyncGenerator<TrainingText> {
  const pick = createSampler(opts);
  let picked = 0;
  for await (const page of store.papers.scan(2000)) {
    for (const p of page) {
      if (picked >= opts.size) return;
      if (pick()) {
        picked += 1;
        yield { title: p.title, abstract: p.abstract };
      }
    }
    if (opts.signal?.aborted === true)
      throw new AppError('INTERRUPTED', 'Training interrupted; nothing was changed.');
    // SQLite answers synchronously: without this, reading the store would hold every request up until done.
    await new Promise((resolve) => setImmediate(resolve));
  }
}
