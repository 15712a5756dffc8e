// The blocked products of the contrastive step (S = Q·Dᵀ, G·D, Gᵀ·Q) against plain triple loops, at sizes that
// leave every remainder of the blocks (odd rows, columns not a multiple of 4, an odd width).
import { describe, expect, it } from 'vitest';
import { similarities, weightedRowSums } from '../../src/index/embedders/static/batch-products.ts';
import { createRng } from '../../src/index/embedders/static/random.ts';

const rng = createRng(7);
const rows = (count: number, d: number): Float32Array =>
  Float32Array.from({ length: count * d }, () => rng.normal());

describe('similarities', () => {
  it.each([
    [1, 1, 3],
    [2, 2, 4],
    [5, 7, 6],
    [8, 11, 9],
  ])('equals every scaled dot product, %i queries × %i documents × %i dims', (n, c, d) => {
    const q = rows(n, d);
    const docs = rows(c, d);
    const s = new Float64Array(n * c).fill(Number.NaN);
    similarities(q, docs, n, c, d, 2.5, s);
    for (let i = 0; i < n; i++)
      for (let k = 0; k < c; k++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += q[i * d + j]! * docs[k * d + j]!;
        expect(s[i * c + k]).toBeCloseTo(dot * 2.5, 9);
      }
  });
});

describe('weightedRowSums', () => {
  const cases = [
    [1, 1, 3],
    [2, 4, 4],
    [5, 7, 6],
    [7, 13, 5],
  ] as const;

  it.each(cases)('computes G·D (rows along G), %i × %i terms, %i dims', (n, c, d) => {
    const g = Float64Array.from({ length: n * c }, () => rng.normal());
    const docs = rows(c, d);
    const out = rows(n, d); // stale values: the result must overwrite them
    weightedRowSums(g, c, 1, 0.5, docs, n, c, d, out);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let k = 0; k < c; k++) sum += g[i * c + k]! * 0.5 * docs[k * d + j]!;
        expect(out[i * d + j]).toBeCloseTo(sum, 4);
      }
  });

  it.each(cases)('computes Gᵀ·Q (columns along G), %i × %i terms, %i dims', (n, c, d) => {
    const g = Float64Array.from({ length: n * c }, () => rng.normal());
    const q = rows(n, d);
    const out = rows(c, d);
    weightedRowSums(g, 1, c, 0.5, q, c, n, d, out);
    for (let k = 0; k < c; k++)
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += g[i * c + k]! * 0.5 * q[i * d + j]!;
        expect(out[k * d + j]).toBeCloseTo(sum, 4);
      }
  });
});
