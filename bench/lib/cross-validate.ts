// k-fold cross-validation of the hybrid fusion weight: chosen on the other folds' queries, measured on the held-out fold.
import type { Embedder } from '../../src/index/embedders/embedder.ts';
import { idsOnly, runHybrid, type ScoredRuns, type SemanticRun } from './eval-runs.ts';
import { ndcgAt, type Judgments } from './metrics.ts';

/** The weights tried on the training folds: 0, 0.05, …, 1 (0 is lexical alone). */
export const WEIGHT_GRID = Array.from({ length: 21 }, (_, i) => i / 20);

/**
 * Deals the judged query ids into `k` folds: sorted, then every k-th to the same fold (deterministic, and
 * independent of the model's seed, so that seeds are compared on the same folds).
 * @example foldsOf(['q1', 'q2', 'q3'], 2) // [['q1', 'q3'], ['q2']]
 */
export function foldsOf(qids: readonly string[], k: number): string[][] {
  const folds: string[][] = Array.from({ length: k }, () => []);
  [...qids].sort().forEach((q, i) => folds[i % k]?.push(q));
  return folds;
}

/** nDCG@10 per query for each weight of the grid (index as WEIGHT_GRID). */
export function ndcgByWeight(
  lexical: ScoredRuns,
  semantic: SemanticRun,
  depth: number,
  qrels: ReadonlyMap<string, Judgments>,
  tokenMatchWeight?: number,
): Map<string, number>[] {
  return WEIGHT_GRID.map((w) => {
    const runs = idsOnly(runHybrid(lexical, semantic, depth, w, tokenMatchWeight));
    const out = new Map<string, number>();
    for (const [qid, rel] of qrels) out.set(qid, ndcgAt(runs.get(qid) ?? [], rel, 10));
    return out;
  });
}

export interface FoldResult {
  fold: number;
  /** The weight chosen on the other folds. */
  weight: number;
  lexical: number;
  hybrid: number;
  gain: number;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

/** The index of the setting (one map of query → nDCG@10 each) with the best mean over every fold but `fold`. */
export function bestOnOtherFolds(
  perSetting: readonly ReadonlyMap<string, number>[],
  folds: readonly string[][],
  fold: number,
): number {
  const train = folds.filter((_, i) => i !== fold).flat();
  let best = 0;
  let bestScore = -Infinity;
  perSetting.forEach((m, i) => {
    const score = mean(train.map((q) => m.get(q) ?? 0));
    if (score > bestScore + 1e-12) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

/**
 * For each fold: the grid weight with the best mean nDCG@10 on the other folds, then lexical and hybrid nDCG@10
 * on this fold. `lexical` holds each query's nDCG@10 of lexical search alone.
 */
export function crossValidate(
  byWeight: readonly Map<string, number>[],
  lexical: ReadonlyMap<string, number>,
  folds: readonly string[][],
): FoldResult[] {
  return folds.map((held, fold) => {
    const best = bestOnOtherFolds(byWeight, folds, fold);
    const lex = mean(held.map((q) => lexical.get(q) ?? 0));
    const hyb = mean(held.map((q) => byWeight[best]?.get(q) ?? 0));
    return { fold, weight: WEIGHT_GRID[best] ?? 0, lexical: lex, hybrid: hyb, gain: hyb - lex };
  });
}

/** Mean, sample standard deviation and minimum of the held-out gains, and hybrid nDCG@10 over every held-out query. */
export function foldSummary(
  results: readonly FoldResult[],
  folds: readonly string[][],
): { meanGain: number; sdGain: number; minGain: number; hybrid: number; lexical: number } {
  const gains = results.map((r) => r.gain);
  const m = mean(gains);
  const sd = Math.sqrt(gains.reduce((a, g) => a + (g - m) ** 2, 0) / Math.max(1, gains.length - 1));
  // Folds differ in size by at most one query: weight each fold's mean by its size for the all-claims figure.
  const n = folds.reduce((a, f) => a + f.length, 0);
  const weighted = (pick: (r: FoldResult) => number): number =>
    results.reduce((a, r) => a + pick(r) * (folds[r.fold]?.length ?? 0), 0) / Math.max(1, n);
  return {
    meanGain: m,
    sdGain: sd,
    minGain: Math.min(...gains),
    hybrid: weighted((r) => r.hybrid),
    lexical: weighted((r) => r.lexical),
  };
}

/**
 * Several models as one: each text's vectors from every model, scaled and laid end to end, so that the dot
 * product of two such vectors is the mean of the models' cosines (an ensemble of seeds).
 * @example const both = ensembleEmbedder([seed1, seed2]);
 */
export function ensembleEmbedder(models: readonly Embedder[]): Embedder {
  const scale = 1 / Math.sqrt(models.length);
  const dimension = models.reduce((a, m) => a + m.dimension, 0);
  return {
    model: `ensemble(${models.map((m) => m.model).join('+')})`,
    dimension,
    async embed(texts) {
      const parts = await Promise.all(models.map((m) => m.embed(texts)));
      return texts.map((_, i) => {
        const out = new Float32Array(dimension);
        let at = 0;
        parts.forEach((p, j) => {
          const v = p[i] ?? new Float32Array(models[j]?.dimension ?? 0);
          for (let d = 0; d < v.length; d++) out[at + d] = (v[d] ?? 0) * scale;
          at += models[j]?.dimension ?? 0;
        });
        return out;
      });
    },
  };
}
