// Hard negatives for the static model: mining (BM25 of a paper's title over the other papers) and the loss with extra negatives (gradient checked by finite differences).
import { describe, expect, it } from 'vitest';
import { contrastiveGradient, type StaticParams } from '../../src/index/embedders/static/contrastive-step.ts';
import { mineHardNegatives } from '../../src/index/embedders/static/hard-negatives.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';
import type { TrainDoc } from '../../src/index/embedders/static/training-pairs.ts';
import type { TokenBag } from '../../src/index/embedders/static/vocabulary.ts';
import { trainStaticModel } from '../../src/index/embedders/static/trainer.ts';

const doc = (title: number[], ...sentences: number[][]): TrainDoc => ({
  title: Int32Array.from(title),
  sentences: sentences.map((s) => Int32Array.from(s)),
});

/** Paper i's mined candidates, best first, without the −1 padding. */
const negativesOf = (m: { pool: number; ids: Int32Array }, i: number): number[] =>
  [...m.ids.subarray(i * m.pool, (i + 1) * m.pool)].filter((x) => x >= 0);

describe('mineHardNegatives', () => {
  // Tokens: 1, 2 rare topic words; 3 a word of every paper; 10+ filler unique to each paper.
  const docs = [
    doc([1, 2], [3, 10, 11]),
    doc([20], [1, 2, 3, 21]), // both title words of paper 0
    doc([30], [1, 3, 31, 32]), // one of them
    doc([40, 3], [41, 42]), // none
    doc([50, 2], [3, 51, 52, 53, 54, 55, 56, 57, 58]), // one, in a long paper
  ];

  it('ranks the other papers by BM25 of the title, never the paper itself, and leaves papers without a shared word out', () => {
    const m = mineHardNegatives(docs, 100, { pool: 4, maxDfShare: 1 });
    expect(m.pool).toBe(4);
    expect(negativesOf(m, 0)).toEqual([1, 2, 4]);
    for (let i = 0; i < docs.length; i++) expect(negativesOf(m, i)).not.toContain(i);
  });

  it('uses the first sentence when a paper has no title', () => {
    const m = mineHardNegatives([doc([], [41, 42]), ...docs.slice(1)], 100, { pool: 2, maxDfShare: 1 });
    expect(negativesOf(m, 0)).toEqual([3]);
  });

  it('skips query words found in more than the given share of papers', () => {
    // Word 3 is in every paper: with a share below 1 it is skipped, and paper 3 (its title shares only it) gets none.
    const all = mineHardNegatives(docs, 100, { pool: 4, maxDfShare: 1 });
    const some = mineHardNegatives(docs, 100, { pool: 4, maxDfShare: 0.5 });
    expect(negativesOf(all, 3)).toHaveLength(4);
    expect(negativesOf(some, 3)).toEqual([]);
  });

  it('keeps the given ranks instead of the best ones when asked, and the best `pool` by default', () => {
    // Paper 0's title [1, 2] scores papers 1, 2, 4 only (ranks 1 to 3).
    const best = mineHardNegatives(docs, 100, { pool: 4, maxDfShare: 1 });
    const byDefault = mineHardNegatives(docs, 100, { maxDfShare: 1 });
    expect(byDefault.pool).toBe(4);
    expect([...byDefault.ids]).toEqual([...best.ids]);
    const soft = mineHardNegatives(docs, 100, { maxDfShare: 1, ranks: [2, 3] });
    expect(soft.pool).toBe(2);
    expect(negativesOf(soft, 0)).toEqual([2, 4]);
    // Paper 3's title [40, 3] shares word 3 with all four others: its ranks 2–3 are its 2nd and 3rd best.
    expect(negativesOf(soft, 3)).toEqual(negativesOf(best, 3).slice(1, 3));
    // Ranks past the papers that score leave −1.
    const deep = mineHardNegatives(docs, 100, { maxDfShare: 1, ranks: [3, 6] });
    expect(deep.pool).toBe(4);
    expect(negativesOf(deep, 0)).toEqual([4]);
    expect([...deep.ids.subarray(0, 4)]).toEqual([4, -1, -1, -1]);
  });

  it('mines each shard against itself only', () => {
    // Shards of at most 3 papers split five into [0, 1, 2] and [3, 4]: paper 4's title shares word 2 with papers 0
    // and 1 only, and paper 0's ranking loses paper 4.
    const m = mineHardNegatives(docs, 100, { pool: 4, maxDfShare: 1, shard: 3 });
    expect(negativesOf(m, 0)).toEqual([1, 2]);
    expect(negativesOf(m, 4)).toEqual([]);
    expect(negativesOf(m, 3)).toEqual([4]);
  });
});

describe('contrastive loss with extra negatives', () => {
  const dim = 4;
  const vocab = 8;
  const params = (): StaticParams => {
    const rng = createRng(7);
    return {
      dim,
      vectors: Float32Array.from({ length: vocab * dim }, () => rng.normal()),
      logWeights: Float32Array.from({ length: vocab }, () => 0.3 * rng.normal()),
    };
  };
  const bag = (ids: number[], tf?: number[]): TokenBag => ({
    ids: Int32Array.from(ids),
    tf: Float32Array.from(tf ?? ids.map(() => 1)),
  });
  const queries = [bag([0, 1]), bag([2, 3])];
  const docs = [bag([0, 4], [1, 1.7]), bag([3, 5])];
  // Tokens 6 and 7 occur in the negatives only.
  const negatives = [bag([6, 1]), bag([7, 2, 4], [1.3, 1, 1])];

  it('matches finite differences for every parameter, those only the negatives use included', () => {
    const p = params();
    const { loss, vectors, logWeights } = contrastiveGradient(p, queries, docs, negatives, 0.5);
    const lossAt = (): number => contrastiveGradient(p, queries, docs, negatives, 0.5).loss;
    const h = 1e-3;
    const check = (arr: Float32Array, grad: Float32Array): void => {
      for (let i = 0; i < arr.length; i++) {
        const keep = arr[i]!;
        arr[i] = keep + h;
        const up = lossAt();
        arr[i] = keep - h;
        const down = lossAt();
        arr[i] = keep;
        expect(grad[i]!).toBeCloseTo((up - down) / (2 * h), 2);
      }
    };
    check(p.vectors, vectors);
    check(p.logWeights, logWeights);
    expect(Math.hypot(...vectors.subarray(6 * dim, 8 * dim))).toBeGreaterThan(1e-3);
    expect(loss).toBeGreaterThan(0);
  });

  it('raises the loss by each negative in the queries’ denominators, and pushes a negative away from the queries', () => {
    const p = params();
    const without = contrastiveGradient(p, queries, docs, [], 0.5);
    const one = contrastiveGradient(p, queries, docs, negatives.slice(0, 1), 0.5);
    const two = contrastiveGradient(p, queries, docs, negatives, 0.5);
    expect(one.loss).toBeGreaterThan(without.loss);
    expect(two.loss).toBeGreaterThan(one.loss);
    // A negative that is a copy of query 0's positive splits its softmax mass: log 2 more for that row, halved
    // (two directions) and averaged over the two pairs, at most.
    const copy = contrastiveGradient(p, queries, docs, [docs[0]!], 0.5);
    expect(copy.loss - without.loss).toBeGreaterThan(0);
    expect(copy.loss - without.loss).toBeLessThanOrEqual(Math.log(2) / 4 + 1e-9);
    // A gradient step on token 6 (negative only) lowers the loss: the negative moves away.
    const step = 0.05;
    for (let j = 0; j < dim; j++) p.vectors[6 * dim + j]! -= step * one.vectors[6 * dim + j]!;
    expect(contrastiveGradient(p, queries, docs, negatives.slice(0, 1), 0.5).loss).toBeLessThan(one.loss);
  });
});

describe('trainStaticModel with hard negatives', () => {
  const texts = Array.from({ length: 60 }, (_, i) => ({
    title: `topic${i % 6} item${i} study`,
    abstract: `The topic${i % 6} effect on item${i} was measured. A second sentence about topic${i % 6} and word${i % 5}. Third line here about word${i % 7}.`,
  }));

  it('trains with them (a different model from the same seed) and is unchanged without them', async () => {
    const base = await trainStaticModel(texts, { dim: 16, epochs: 2, batchSize: 16 });
    const zero = await trainStaticModel(texts, { dim: 16, epochs: 2, batchSize: 16, hardNegatives: 0 });
    const hard = await trainStaticModel(texts, {
      dim: 16,
      epochs: 2,
      batchSize: 16,
      hardNegatives: 1,
      mining: { maxDfShare: 1 },
    });
    // The name hashes the weights.
    expect(zero.name).toBe(base.name);
    expect(hard.name).not.toBe(base.name);
    expect(Number.isFinite(hard.training.finalLoss)).toBe(true);
  });

  it('draws them from the given ranks when `hardNegativeRanks` is set (another model than from the best 4)', async () => {
    const opts = { dim: 16, epochs: 2, batchSize: 16, hardNegatives: 1, mining: { maxDfShare: 1 } };
    const top = await trainStaticModel(texts, opts);
    const soft = await trainStaticModel(texts, { ...opts, hardNegativeRanks: [5, 10] });
    const sameAsTop = await trainStaticModel(texts, { ...opts, hardNegativeRanks: [1, 4] });
    const viaMining = await trainStaticModel(texts, { ...opts, mining: { maxDfShare: 1, ranks: [5, 10] } });
    expect(sameAsTop.name).toBe(top.name);
    expect(soft.name).not.toBe(top.name);
    expect(viaMining.name).toBe(soft.name);
  });
});
