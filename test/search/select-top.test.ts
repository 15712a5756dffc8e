// selectTop: the k best candidates that pass a filter, the same as sorting them all.
import { describe, expect, it } from 'vitest';
import { selectTop } from '../../src/index/lexical/select-top.ts';

/** Every accepted candidate sorted by score, ties to the lower doc, first k. */
function sortedTop(candidates: Int32Array, scores: Float64Array, accept: (d: number) => boolean, k: number) {
  return [...candidates]
    .filter(accept)
    .map((d): [number, number] => [d, scores[d]!])
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, k);
}

describe('selectTop', () => {
  it('equals a full sort, with many ties at the cut, filtered candidates and candidates below the floor', () => {
    let seed = 3;
    const rand = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
    for (let round = 0; round < 50; round++) {
      const n = 50 + Math.floor(rand() * 500);
      // Few distinct scores, so many candidates tie with the worst kept one.
      const scores = Float64Array.from({ length: n }, () => Math.floor(rand() * 8) / 4);
      const candidates = Int32Array.from({ length: n }, (_, i) => n - 1 - i);
      const tested: number[] = [];
      const accept = (d: number): boolean => {
        tested.push(d);
        return d % 7 !== 3;
      };
      const k = 1 + Math.floor(rand() * 40);
      const got = selectTop(candidates, n, scores, { accept, verify: null }, k);
      expect(got).toEqual(sortedTop(candidates, scores, (d) => d % 7 !== 3, k));
      // Candidates that cannot enter are not tested at all.
      if (n > 4 * k) expect(tested.length).toBeLessThan(n);
    }
  });

  it('widens the pool for a costly verify until k pass it', () => {
    const n = 1000;
    const scores = Float64Array.from({ length: n }, (_, d) => (d % 10) / 10);
    const candidates = Int32Array.from({ length: n }, (_, d) => d);
    const verify = (d: number): boolean => d % 50 === 9;
    const got = selectTop(candidates, n, scores, { accept: () => true, verify }, 5);
    expect(got).toEqual(sortedTop(candidates, scores, verify, 5));
  });
});
