// Brute-force cosine search over unit vectors: the evaluation's reference semantic retriever.
import { createRequire } from 'node:module';
import type { ScoredId } from '../../src/domain/scored.ts';

/**
 * The k nearest documents to `query` by dot product (cosine for unit vectors), best first.
 * @example exactNearest(qVec, docVecs, docIds, 100)
 */
export function exactNearest(
  query: Float32Array,
  docs: readonly Float32Array[],
  ids: readonly string[],
  k: number,
): ScoredId[] {
  const scores = new Float64Array(docs.length);
  for (let d = 0; d < docs.length; d++) scores[d] = dot(query, docs[d] ?? query);
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0) || a - b);
  return order.slice(0, k).map((d): ScoredId => [ids[d] ?? '', scores[d] ?? 0]);
}

/** Dot product; the cosine when both vectors have unit length. */
export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

/**
 * usearch's native brute-force search: the `k` best rows of `data` (n × d, flat) by inner product for each of the
 * queries in `queries` (flat), on every core (`threads` 0). `keys` holds k row numbers per query, best first.
 */
export function nativeExactSearch(
  data: Float32Array,
  queries: Float32Array,
  d: number,
  k: number,
): { keys: BigUint64Array } {
  const usearch = createRequire(import.meta.url)('usearch') as {
    exactSearch(
      data: Float32Array,
      q: Float32Array,
      d: number,
      k: number,
      metric: string,
      threads: number,
    ): { keys: BigUint64Array };
  };
  return usearch.exactSearch(data, queries, d, k, 'ip', 0);
}
