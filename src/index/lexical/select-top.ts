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
    // A candidate scoring below the worst one kept can change nothing (`offer` would refuse it), so it is
    // neither tested nor offered: most of a long query's candidates, and the same top as offering all.
    let floor = top.floor;
    for (let i = 0; i < count; i++) {
      const d = candidates[i] ?? 0;
      const score = scores[d] ?? 0;
      if (score < floor || !accept(d)) continue;
      top.offer(d, score);
      floor = top.floor;
    }
    const ranked = top.drain();
    if (verify === null) return ranked;
    const kept = ranked.filter(([d]) => verify(d)).slice(0, k);
    if (kept.length >= k || ranked.length < pool) return kept;
    pool *= 4;
  }
}
