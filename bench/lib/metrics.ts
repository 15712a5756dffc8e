// Retrieval quality metrics over ranked id lists and graded relevance judgments.

/** Relevance judgments for one query: doc id -> grade (> 0 is relevant). */
export type Judgments = ReadonlyMap<string, number>;

/**
 * nDCG@k with graded gains (2^rel - 1) and log2 discounts.
 * @example ndcgAt(['a','b'], new Map([['b', 1]]), 10) // 0.6309...
 */
export function ndcgAt(ranked: readonly string[], rel: Judgments, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) {
    const g = rel.get(ranked[i] ?? '') ?? 0;
    if (g > 0) dcg += (2 ** g - 1) / Math.log2(i + 2);
  }
  const ideal = [...rel.values()].filter((g) => g > 0).sort((a, b) => b - a);
  let idcg = 0;
  for (let i = 0; i < Math.min(k, ideal.length); i++) idcg += (2 ** (ideal[i] ?? 0) - 1) / Math.log2(i + 2);
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Fraction of relevant documents found in the top k. */
export function recallAt(ranked: readonly string[], rel: Judgments, k: number): number {
  const relevant = [...rel.entries()].filter(([, g]) => g > 0).map(([id]) => id);
  if (relevant.length === 0) return 0;
  const top = new Set(ranked.slice(0, k));
  return relevant.filter((id) => top.has(id)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document within the top k (0 if none). */
export function mrrAt(ranked: readonly string[], rel: Judgments, k: number): number {
  for (let i = 0; i < Math.min(k, ranked.length); i++)
    if ((rel.get(ranked[i] ?? '') ?? 0) > 0) return 1 / (i + 1);
  return 0;
}

export interface QualityRow {
  'ndcg@10': number;
  'recall@100': number;
  'mrr@10': number;
}

/** Mean of the three standard metrics over all judged queries. */
export function summarize(
  runs: ReadonlyMap<string, readonly string[]>,
  qrels: ReadonlyMap<string, Judgments>,
): QualityRow {
  let n = 0;
  const sum = { ndcg: 0, recall: 0, mrr: 0 };
  for (const [qid, rel] of qrels) {
    const ranked = runs.get(qid) ?? [];
    sum.ndcg += ndcgAt(ranked, rel, 10);
    sum.recall += recallAt(ranked, rel, 100);
    sum.mrr += mrrAt(ranked, rel, 10);
    n++;
  }
  const d = Math.max(n, 1);
  return { 'ndcg@10': sum.ndcg / d, 'recall@100': sum.recall / d, 'mrr@10': sum.mrr / d };
}
