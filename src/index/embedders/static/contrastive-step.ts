// One training step: pool both sides of a batch of pairs, in-batch InfoNCE loss (plus any extra negative documents), hand-written backward, lazy Adam.
import { similarities, weightedRowSums } from './batch-products.ts';
import { createLazyAdam } from './lazy-adam.ts';
import type { TokenBag } from './vocabulary.ts';
import { rowDot } from '../../../simd-dot.ts';

/** Trainable parameters: raw token vectors and log token weights. */
export interface StaticParams {
  readonly dim: number;
  readonly vectors: Float32Array;
  readonly logWeights: Float32Array;
}

export interface StepOptions {
  lr: number;
  /** Softmax temperature of the similarity logits (default 0.1). */
  temperature?: number;
  /** Learning rate of the token weights relative to `lr` (default 1). */
  weightLrScale?: number;
}

/** Pools bags into unit rows of `out` (row-major) and returns each row's pre-normalisation length. */
function encodeBatch(p: StaticParams, bags: readonly TokenBag[], out: Float32Array): Float32Array {
  const d = p.dim;
  const lengths = new Float32Array(bags.length);
  out.fill(0, 0, bags.length * d);
  for (let b = 0; b < bags.length; b++) {
    const bag = bags[b]!;
    const o = b * d;
    for (let i = 0; i < bag.ids.length; i++) {
      const t = bag.ids[i]!;
      axpy(out, o, bag.tf[i]! * Math.exp(p.logWeights[t]!), p.vectors, t * d, d);
    }
    const len = Math.sqrt(rowDot(out, o, out, o, d)) || 1;
    lengths[b] = len;
    for (let j = 0; j < d; j++) out[o + j]! /= len;
  }
  return lengths;
}

/** out[oo..oo+d) += g · x[xo..xo+d). */
function axpy(out: Float32Array, oo: number, g: number, x: Float32Array, xo: number, d: number): void {
  for (let j = 0; j < d; j++) out[oo + j]! += g * x[xo + j]!;
}

/** Softmax cross-entropy of one row (stride 1) or column (stride n) of logits; adds its gradient to ds. */
function softmaxCe(
  s: Float64Array,
  ds: Float64Array,
  start: number,
  stride: number,
  n: number,
  target: number,
  scale: number,
): number {
  let max = -Infinity;
  for (let b = 0; b < n; b++) max = Math.max(max, s[start + b * stride]!);
  let z = 0;
  for (let b = 0; b < n; b++) z += Math.exp(s[start + b * stride]! - max);
  for (let b = 0; b < n; b++)
    ds[start + b * stride]! += (Math.exp(s[start + b * stride]! - max) / z - (b === target ? 1 : 0)) * scale;
  return (Math.log(z) + max - s[start + target * stride]!) * scale;
}

/**
 * Symmetric InfoNCE over S = Q·Dᵀ/τ, where D holds the n positives then `c − n` extra negatives: each query's
 * softmax runs over all c documents, each positive's over the n queries (a negative has no query of its own).
 * Writes dL/dQ and dL/dD and returns the loss.
 */
function infoNce(
  q: Float32Array,
  docs: Float32Array,
  n: number,
  c: number,
  d: number,
  tau: number,
  gq: Float32Array,
  gd: Float32Array,
): number {
  const s = new Float64Array(n * c);
  similarities(q, docs, n, c, d, 1 / tau, s);
  const ds = new Float64Array(n * c);
  let loss = 0;
  for (let a = 0; a < n; a++) loss += softmaxCe(s, ds, a * c, 1, c, a, 1 / (2 * n));
  for (let a = 0; a < n; a++) loss += softmaxCe(s, ds, a, c, n, a, 1 / (2 * n));
  // dL/dQ = G·D and dL/dD = Gᵀ·Q with G = dL/dS / τ: the step's cost that grows with the batch's square.
  weightedRowSums(ds, c, 1, 1 / tau, docs, n, c, d, gq);
  weightedRowSums(ds, 1, c, 1 / tau, q, c, n, d, gd);
  return loss;
}

/** Turns dL/dn (unit vectors) into dL/du (pre-normalisation sums) in place. */
function throughNormalisation(
  unit: Float32Array,
  grad: Float32Array,
  lengths: Float32Array,
  d: number,
): void {
  for (let b = 0; b < lengths.length; b++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += unit[b * d + j]! * grad[b * d + j]!;
    for (let j = 0; j < d; j++) grad[b * d + j] = (grad[b * d + j]! - unit[b * d + j]! * dot) / lengths[b]!;
  }
}

/** Sparse gradient rows for the tokens one batch touched. */
interface SparseGrad {
  slot: Int32Array;
  rows: Int32Array;
  count: number;
  vectors: Float32Array;
  weights: Float32Array;
}

/** Adds each bag's token gradients (vector and log weight) into the sparse buffers. */
function scatter(p: StaticParams, bags: readonly TokenBag[], gu: Float32Array, g: SparseGrad): void {
  const d = p.dim;
  for (let b = 0; b < bags.length; b++) {
    const bag = bags[b]!;
    for (let i = 0; i < bag.ids.length; i++) {
      const t = bag.ids[i]!;
      let r = g.slot[t]!;
      if (r < 0) {
        r = g.slot[t] = g.count;
        g.rows[g.count++] = t;
        g.vectors.fill(0, r * d, (r + 1) * d);
        g.weights[r] = 0;
      }
      const c = bag.tf[i]! * Math.exp(p.logWeights[t]!);
      axpy(g.vectors, r * d, c, gu, b * d, d);
      g.weights[r]! += c * rowDot(p.vectors, t * d, gu, b * d, d);
    }
  }
}

/** One step: pairs (queries[i], docs[i]), optional extra negative documents for every query; returns the loss. */
export type ContrastiveStep = (
  queries: readonly TokenBag[],
  docs: readonly TokenBag[],
  step: number,
  negatives?: readonly TokenBag[],
) => number;

/** Buffers of one forward and backward pass, grown to the largest batch seen. */
interface PassBuffers {
  q: Float32Array;
  k: Float32Array;
  gq: Float32Array;
  gk: Float32Array;
  grad: SparseGrad;
}

function createPassBuffers(p: StaticParams, maxBatch: number): PassBuffers {
  const rowsTotal = p.logWeights.length;
  const size = maxBatch * p.dim;
  return {
    q: new Float32Array(size),
    k: new Float32Array(size),
    gq: new Float32Array(size),
    gk: new Float32Array(size),
    grad: {
      slot: new Int32Array(rowsTotal).fill(-1),
      rows: new Int32Array(rowsTotal),
      count: 0,
      vectors: new Float32Array(0),
      weights: new Float32Array(rowsTotal),
    },
  };
}

/** Loss of one batch and its sparse gradient in `b.grad` (rows touched, their vector and log-weight gradients). */
function forwardBackward(
  p: StaticParams,
  queries: readonly TokenBag[],
  docs: readonly TokenBag[],
  negatives: readonly TokenBag[],
  tau: number,
  b: PassBuffers,
): number {
  const d = p.dim;
  const n = queries.length;
  const all = negatives.length === 0 ? docs : [...docs, ...negatives];
  if (b.q.length < n * d) {
    b.q = new Float32Array(n * d);
    b.gq = new Float32Array(n * d);
  }
  if (b.k.length < all.length * d) {
    b.k = new Float32Array(all.length * d);
    b.gk = new Float32Array(all.length * d);
  }
  const lq = encodeBatch(p, queries, b.q);
  const lk = encodeBatch(p, all, b.k);
  const loss = infoNce(b.q, b.k, n, all.length, d, tau, b.gq, b.gk);
  throughNormalisation(b.q, b.gq, lq, d);
  throughNormalisation(b.k, b.gk, lk, d);
  // One gradient row per distinct token: a 1,024-pair batch of arXiv papers repeats most of its words.
  const touched = distinctTokens(b.grad.slot, queries, all);
  if (b.grad.vectors.length < touched * d) b.grad.vectors = new Float32Array(touched * d);
  b.grad.count = 0;
  scatter(p, queries, b.gq, b.grad);
  scatter(p, all, b.gk, b.grad);
  return loss;
}

/**
 * The loss of one batch and its gradient with respect to every token vector and log weight, dense (for checks
 * and tests; training uses the sparse one inside the step).
 * @example const { loss, vectors } = contrastiveGradient(params, queries, docs, [hardNegative]);
 */
export function contrastiveGradient(
  p: StaticParams,
  queries: readonly TokenBag[],
  docs: readonly TokenBag[],
  negatives: readonly TokenBag[] = [],
  temperature = 0.1,
): { loss: number; vectors: Float32Array; logWeights: Float32Array } {
  const b = createPassBuffers(p, docs.length + negatives.length);
  const loss = forwardBackward(p, queries, docs, negatives, temperature, b);
  const vectors = new Float32Array(p.vectors.length);
  const logWeights = new Float32Array(p.logWeights.length);
  for (let r = 0; r < b.grad.count; r++) {
    const t = b.grad.rows[r]!;
    vectors.set(b.grad.vectors.subarray(r * p.dim, (r + 1) * p.dim), t * p.dim);
    logWeights[t] = b.grad.weights[r]!;
  }
  return { loss, vectors, logWeights };
}

/**
 * Creates a step function that trains `params` in place on (query, document) bag pairs with in-batch negatives,
 * and any extra negatives (e.g. mined hard ones) in every query's softmax denominator.
 * @example const step = createContrastiveStep(params, 512, { lr: 0.005 }); const loss = step(titles, abstracts, 1);
 */
export function createContrastiveStep(p: StaticParams, maxBatch: number, opts: StepOptions): ContrastiveStep {
  const rowsTotal = p.logWeights.length;
  const adamVec = createLazyAdam(rowsTotal, p.dim, { lr: opts.lr });
  const adamW = createLazyAdam(rowsTotal, 1, { lr: opts.lr * (opts.weightLrScale ?? 1) });
  const b = createPassBuffers(p, maxBatch);
  return (queries, docs, step, negatives = []) => {
    const loss = forwardBackward(p, queries, docs, negatives, opts.temperature ?? 0.1, b);
    const g = b.grad;
    adamVec.update(p.vectors, g.rows, g.count, g.vectors, step);
    adamW.update(p.logWeights, g.rows, g.count, g.weights, step);
    for (let r = 0; r < g.count; r++) g.slot[g.rows[r]!] = -1;
    return loss;
  };
}

/** Distinct tokens of both lists of bags, counted by marking `slot` (all −1, as it is left). */
function distinctTokens(slot: Int32Array, a: readonly TokenBag[], b: readonly TokenBag[]): number {
  let n = 0;
  for (const bags of [a, b])
    for (const bag of bags)
      for (let i = 0; i < bag.ids.length; i++) {
        const t = bag.ids[i]!;
        if (slot[t] === -1) {
          slot[t] = -2;
          n++;
        }
      }
  for (const bags of [a, b])
    for (const bag of bags) for (let i = 0; i < bag.ids.length; i++) slot[bag.ids[i]!] = -1;
  return n;
}
