// Spherical k-means over unit vectors: the clustering behind topics (cosine geometry, linear in the corpus).
import { createRng } from '../embedders/static/random.ts';
import { rowDot } from '../../simd-dot.ts';

/** Unit-length rows, packed: row i is data[i*dim, (i+1)*dim). */
export interface Rows {
  readonly data: Float32Array;
  readonly n: number;
  readonly dim: number;
}

/** One assignment pass: each row's nearest centroid and its cosine. */
export interface Assignment {
  readonly topic: Int32Array;
  readonly similarity: Float32Array;
}

/** Rows looked at when choosing the first centroids (k-means++ is quadratic in what it sees). */
const INIT_SAMPLE = 6000;

/**
 * A good number of topics for `n` papers: about sqrt(n/4), from 2 to 200 (75,000 papers give 137).
 * @example defaultTopicCount(75_000) // 137
 */
export function defaultTopicCount(n: number): number {
  return Math.max(2, Math.min(200, Math.round(Math.sqrt(n / 4))));
}

/** Scales a row to unit length in place (a zero row stays zero). */
export function normalizeRow(v: Float32Array, off: number, dim: number): void {
  let s = 0;
  for (let j = 0; j < dim; j++) s += (v[off + j] as number) ** 2;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let j = 0; j < dim; j++) v[off + j] = (v[off + j] as number) * inv;
}

/**
 * k starting centroids chosen by greedy k-means++ (each next one far from those chosen; of a few candidates
 * drawn that way, the one that lowers the total distance most) on a seeded sample, so the same corpus and
 * seed give the same topics.
 */
export function initCentroids(rows: Rows, k: number, seed: number): Float32Array {
  const { data, n, dim } = rows;
  const rng = createRng(seed);
  const sample: number[] = [];
  if (n <= INIT_SAMPLE) for (let i = 0; i < n; i++) sample.push(i);
  else for (let i = 0; i < INIT_SAMPLE; i++) sample.push(rng.int(n));
  const m = sample.length;
  const out = new Float32Array(k * dim);
  const dist = new Float64Array(m).fill(Infinity);
  const trials = 2 + Math.floor(Math.log(k));
  const distTo = (row: number, s: number): number =>
    Math.max(0, 1 - rowDot(data, (sample[s] ?? 0) * dim, data, row * dim, dim)) ** 2;
  let pick = sample[rng.int(m)] ?? 0;
  for (let c = 0; c < k; c++) {
    out.set(data.subarray(pick * dim, (pick + 1) * dim), c * dim);
    let total = 0;
    for (let s = 0; s < m; s++) {
      const d = distTo(pick, s);
      if (d < (dist[s] ?? 0)) dist[s] = d;
      total += dist[s] ?? 0;
    }
    if (c === k - 1) break;
    if (total <= 0) {
      pick = sample[rng.int(m)] ?? 0; // fewer distinct rows than k: repeat one
      continue;
    }
    let bestPot = Infinity;
    for (let t = 0; t < trials; t++) {
      let target = rng.next() * total;
      let cand = sample[m - 1] ?? 0;
      for (let s = 0; s < m; s++) {
        target -= dist[s] ?? 0;
        if (target <= 0) {
          cand = sample[s] ?? 0;
          break;
        }
      }
      let pot = 0;
      for (let s = 0; s < m; s++) pot += Math.min(dist[s] ?? 0, distTo(cand, s));
      if (pot < bestPot) {
        bestPot = pot;
        pick = cand;
      }
    }
  }
  return out;
}

/**
 * The nearest of k centroids for rows [from, to) of `rows`, written into `into`.
 */
export function assignRows(
  rows: Rows,
  centroids: Float32Array,
  k: number,
  from: number,
  to: number,
  into: { topic: Int32Array; similarity: Float32Array },
): void {
  const { data, dim } = rows;
  for (let i = from; i < to; i++) {
    let best = -Infinity;
    let bestC = 0;
    for (let c = 0; c < k; c++) {
      const s = rowDot(data, i * dim, centroids, c * dim, dim);
      if (s > best) {
        best = s;
        bestC = c;
      }
    }
    into.topic[i] = bestC;
    into.similarity[i] = best;
  }
}

/**
 * New centroids: each the normalized mean of its rows. An emptied centroid takes the row its topic fits
 * worst overall, so no topic is wasted.
 */
export function updateCentroids(rows: Rows, a: Assignment, k: number): Float32Array {
  const { data, n, dim } = rows;
  const sums = new Float32Array(k * dim);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = a.topic[i] ?? 0;
    counts[c] = (counts[c] ?? 0) + 1;
    const o = c * dim;
    const r = i * dim;
    for (let j = 0; j < dim; j++) sums[o + j] = (sums[o + j] as number) + (data[r + j] as number);
  }
  const used = new Set<number>();
  for (let c = 0; c < k; c++) {
    if ((counts[c] ?? 0) === 0) {
      let worst = -1;
      let worstSim = Infinity;
      for (let i = 0; i < n; i++)
        if (!used.has(i) && (a.similarity[i] ?? 0) < worstSim) {
          worstSim = a.similarity[i] ?? 0;
          worst = i;
        }
      if (worst >= 0) {
        used.add(worst);
        sums.set(data.subarray(worst * dim, (worst + 1) * dim), c * dim);
      }
    }
    normalizeRow(sums, c * dim, dim);
  }
  return sums;
}

/**
 * Runs Lloyd iterations from `start` until fewer than 0.1% of rows change topic or `maxIterations` pass.
 * `onIteration` sees each iteration's centroids (for checkpoints and progress) and may stop early by
 * returning false.
 */
export function sphericalKMeans(
  rows: Rows,
  start: Float32Array,
  k: number,
  opts: {
    maxIterations?: number;
    onIteration?: (iteration: number, centroids: Float32Array, moved: number) => boolean | void;
  } = {},
): { centroids: Float32Array; assignment: Assignment; iterations: number; stopped: boolean } {
  const maxIterations = opts.maxIterations ?? 25;
  let centroids = start;
  const assignment = { topic: new Int32Array(rows.n).fill(-1), similarity: new Float32Array(rows.n) };
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    const before = assignment.topic.slice();
    assignRows(rows, centroids, k, 0, rows.n, assignment);
    let moved = 0;
    for (let i = 0; i < rows.n; i++) if (before[i] !== assignment.topic[i]) moved++;
    if (moved <= rows.n / 1000 && iterations > 0) break;
    centroids = updateCentroids(rows, assignment, k);
    if (opts.onIteration?.(iterations + 1, centroids, moved) === false)
      return { centroids, assignment, iterations: iterations + 1, stopped: true };
  }
  assignRows(rows, centroids, k, 0, rows.n, assignment);
  return { centroids, assignment, iterations, stopped: false };
}
