// Vector arithmetic of the For-you ranking: row-major matrices of unit vectors, centroids, dot products, top k.
import { rowDot } from '../simd-dot.ts';

export { rowDot };

/** Row-major matrix of unit vectors, so the hot loop reads one flat array. */
export interface Matrix {
  data: Float32Array;
  rows: number;
  dim: number;
}

/**
 * Copies vectors of one dimension into one matrix.
 * @example matrixOf([a, b], 256).rows // 2
 */
export function matrixOf(vectors: readonly Float32Array[], dim: number): Matrix {
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => data.set(v, i * dim));
  return { data, rows: vectors.length, dim };
}

/**
 * Weighted sum of vectors (weight 1 where none is given), scaled to unit length; null when empty or zero.
 */
export function centroid(
  vectors: readonly Float32Array[],
  weights: readonly number[],
  dim: number,
): Float32Array | null {
  const c = new Float32Array(dim);
  vectors.forEach((v, i) => {
    const w = weights[i] ?? 1;
    for (let k = 0; k < dim; k++) c[k] = (c[k] ?? 0) + w * (v[k] ?? 0);
  });
  let norm = 0;
  for (let k = 0; k < dim; k++) norm += (c[k] ?? 0) ** 2;
  if (norm === 0) return null;
  const s = 1 / Math.sqrt(norm);
  for (let k = 0; k < dim; k++) c[k] = (c[k] ?? 0) * s;
  return c;
}

/**
 * Best dot product of a matrix row with the vector of `data` at `off`; `out.arg` gets the row (-1 when none).
 * @example const best = bestRow(centroids, window.data, i * dim, out); out.arg
 */
export function bestRow(m: Matrix, data: Float32Array, off: number, out?: { arg: number }): number {
  let best = -Infinity;
  let arg = -1;
  for (let r = 0, ro = 0; r < m.rows; r++, ro += m.dim) {
    const dot = rowDot(m.data, ro, data, off, m.dim);
    if (dot > best) {
      best = dot;
      arg = r;
    }
  }
  if (out !== undefined) out.arg = arg;
  return best;
}

/**
 * The `k` best of the indices `0 … n-1` that `include` keeps, under `before` (a strict order), best first:
 * a bounded heap, so a 30,000-paper window costs about n comparisons with the worst kept instead of a sort.
 */
export function topIndices(
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
  include: (i: number) => boolean = () => true,
): number[] {
  if (k <= 0) return [];
  const order = (a: number, b: number): number => (before(a, b) ? -1 : before(b, a) ? 1 : 0);
  if (k >= n / 4) {
    const all: number[] = [];
    for (let i = 0; i < n; i++) if (include(i)) all.push(i);
    return all.sort(order).slice(0, k);
  }
  const heap: number[] = []; // heap[0] is the worst index kept
  const at = (j: number): number => heap[j] as number;
  const swap = (a: number, b: number): void => void ([heap[a], heap[b]] = [at(b), at(a)]);
  for (let i = 0; i < n; i++) {
    if (!include(i)) continue;
    if (heap.length < k) {
      heap.push(i);
      for (let j = heap.length - 1, p = (j - 1) >> 1; j > 0 && before(at(p), at(j)); j = p, p = (j - 1) >> 1)
        swap(j, p);
    } else if (before(i, at(0))) {
      heap[0] = i;
      for (let j = 0; ; ) {
        const l = 2 * j + 1;
        let m = j;
        if (l < heap.length && before(at(m), at(l))) m = l;
        if (l + 1 < heap.length && before(at(m), at(l + 1))) m = l + 1;
        if (m === j) break;
        swap(j, m);
        j = m;
      }
    }
  }
  return heap.sort(order);
}
