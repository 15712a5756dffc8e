// Picks the k best candidates that pass a search filter, verifying costly conditions only near the top.
import type { SearchFilter } from './search-filter.ts';
import { TopK } from './top-k.ts';

/**
 * The k best of `candidates[0, count)` by `scores[doc]` that pass `filter`, as [doc, score] best first.
 * When the filter has a costly `verify` (phrases), it widens the pool fourfold until k survive.
 */
export function selectTop(
  candidates: Int32Array,
  count: number,
  scores: Float64Array,
  filter: SearchFilter,
  k: number,
): [number, number][] {
  const { accept, verify } = filter;
  let pool = verify === null ? k : Math.max(k * 4, 64);
  for (;;) {
    const top = new TopK(pool);
    for (let i = 0; i < count; i++) {
      const d = candidates[i] ?? 0;
      if (accept(d)) top.offer(d, scores[d] ?? 0);
    }
    const ranked = top.drain();
    if (verify === null) return ranked;
    const kept = ranked.filter(([d]) => verify(d)).slice(0, k);
    if (kept.length >= k || ranked.length < pool) return kept;
    pool *= 4;
  }
}
