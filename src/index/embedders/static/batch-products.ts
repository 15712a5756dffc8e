// The three dense products of an InfoNCE step over row-major float32 rows (queries Q, documents D, gradient G):
// S = Q·Dᵀ, dQ = G·D, dD = Gᵀ·Q. Blocked so that each loaded float feeds several multiply-adds: these are the
// part of a step that grows with the square of the batch.
import { rowDot } from '../../../simd-dot.ts';

/**
 * `s[i·c + k] = (Q[i] · D[k]) · scale` for the n rows of `q` and the c rows of `docs`, both `d` wide.
 * Two queries against two documents at a time (four sums per pass over the row); the rest by `rowDot`.
 * @example similarities(q, docs, 256, 256, 512, 1 / 0.1, s);
 */
export function similarities(
  q: Float32Array,
  docs: Float32Array,
  n: number,
  c: number,
  d: number,
  scale: number,
  s: Float64Array,
): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = i * d;
    const a1 = a0 + d;
    let k = 0;
    for (; k + 1 < c; k += 2) {
      const b0 = k * d;
      const b1 = b0 + d;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let j = 0; j < d; j++) {
        const x0 = q[a0 + j]!;
        const x1 = q[a1 + j]!;
        const y0 = docs[b0 + j]!;
        const y1 = docs[b1 + j]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      s[i * c + k] = s00 * scale;
      s[i * c + k + 1] = s01 * scale;
      s[(i + 1) * c + k] = s10 * scale;
      s[(i + 1) * c + k + 1] = s11 * scale;
    }
    for (; k < c; k++) {
      s[i * c + k] = rowDot(q, a0, docs, k * d, d) * scale;
      s[(i + 1) * c + k] = rowDot(q, a1, docs, k * d, d) * scale;
    }
  }
  for (; i < n; i++) for (let k = 0; k < c; k++) s[i * c + k] = rowDot(q, i * d, docs, k * d, d) * scale;
}

/**
 * `out[r] = Σ_t g(r, t) · x[t]` for `rows` output rows and `terms` input rows of `x` (all `d` wide), where
 * g(r, t) = `g[r·rowStride + t·termStride] · scale`. `out` is overwritten. With (rowStride, termStride) =
 * (c, 1) it is G·D; with (1, c) it is Gᵀ·Q. Two output rows and four input rows at a time.
 * @example weightedRowSums(ds, c, 1, 1 / tau, docs, n, c, 512, gq); // dQ = G·D
 */
export function weightedRowSums(
  g: Float64Array,
  rowStride: number,
  termStride: number,
  scale: number,
  x: Float32Array,
  rows: number,
  terms: number,
  d: number,
  out: Float32Array,
): void {
  out.fill(0, 0, rows * d);
  const at = (r: number, t: number): number => g[r * rowStride + t * termStride]! * scale;
  let r = 0;
  for (; r + 1 < rows; r += 2) {
    const o0 = r * d;
    const o1 = o0 + d;
    let t = 0;
    for (; t + 3 < terms; t += 4) {
      const g00 = at(r, t);
      const g01 = at(r, t + 1);
      const g02 = at(r, t + 2);
      const g03 = at(r, t + 3);
      const g10 = at(r + 1, t);
      const g11 = at(r + 1, t + 1);
      const g12 = at(r + 1, t + 2);
      const g13 = at(r + 1, t + 3);
      const x0 = t * d;
      const x1 = x0 + d;
      const x2 = x1 + d;
      const x3 = x2 + d;
      for (let j = 0; j < d; j++) {
        const y0 = x[x0 + j]!;
        const y1 = x[x1 + j]!;
        const y2 = x[x2 + j]!;
        const y3 = x[x3 + j]!;
        out[o0 + j]! += g00 * y0 + g01 * y1 + g02 * y2 + g03 * y3;
        out[o1 + j]! += g10 * y0 + g11 * y1 + g12 * y2 + g13 * y3;
      }
    }
    for (; t < terms; t++) {
      const g0 = at(r, t);
      const g1 = at(r + 1, t);
      const xo = t * d;
      for (let j = 0; j < d; j++) {
        const y = x[xo + j]!;
        out[o0 + j]! += g0 * y;
        out[o1 + j]! += g1 * y;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * d;
    for (let t = 0; t < terms; t++) {
      const gt = at(r, t);
      const xo = t * d;
      for (let j = 0; j < d; j++) out[o + j]! += gt * x[xo + j]!;
    }
  }
}
