// The map's 2-D layout: topics placed by classical MDS of their centroids, papers inside their topic's disc
// along its two main directions, so that neighbours stay close and a new paper never moves an old one.
import { createRng } from '../embedders/static/random.ts';
import { rowDot } from '../../simd-dot.ts';
import { normalizeRow, type Assignment, type Rows } from './spherical-kmeans.ts';

/** Where a topic sits on the map and how its papers spread: everything needed to place a new paper. */
export interface TopicGeometry {
  /** Centre in map units (the whole map spans about [0, 1]²). */
  x: number;
  y: number;
  /** Disc radius in map units. */
  radius: number;
  /** Two unit directions (dim each) of largest spread of the topic's papers around its centroid. */
  axes: Float32Array;
  /** Standard deviation of the papers along each axis. */
  spread: [number, number];
}

/** Top two eigenvectors of a symmetric k×k matrix by power iteration with deflation. */
function topTwo(m: Float64Array, k: number, seed: number): [Float64Array, number][] {
  const rng = createRng(seed);
  const out: [Float64Array, number][] = [];
  for (let e = 0; e < 2; e++) {
    let v = Float64Array.from({ length: k }, () => rng.next() - 0.5);
    let lambda = 0;
    for (let it = 0; it < 200; it++) {
      const w = new Float64Array(k);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < k; j++) s += (m[i * k + j] ?? 0) * (v[j] ?? 0);
        w[i] = s;
      }
      for (const [u, l] of out) {
        let d = 0;
        for (let i = 0; i < k; i++) d += (u[i] ?? 0) * (v[i] ?? 0);
        for (let i = 0; i < k; i++) w[i] = (w[i] ?? 0) - l * d * (u[i] ?? 0);
      }
      let norm = 0;
      for (let i = 0; i < k; i++) norm += (w[i] ?? 0) ** 2;
      norm = Math.sqrt(norm);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    out.push([v, lambda]);
  }
  return out;
}

/**
 * Topic centres and radii: classical MDS of centroid cosine distances, discs sized by sqrt(size), then a few
 * passes pushing overlapping discs apart, fitted into [0.05, 0.95]².
 */
export function layoutTopics(
  centroids: Float32Array,
  k: number,
  dim: number,
  sizes: ArrayLike<number>,
): { x: number; y: number; radius: number }[] {
  const d2 = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      d2[i * k + j] = Math.max(0, 2 - 2 * rowDot(centroids, i * dim, centroids, j * dim, dim));
  // Double centring: B = -1/2 · J D² J.
  const row = new Float64Array(k);
  let all = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) row[i] = (row[i] ?? 0) + (d2[i * k + j] ?? 0) / k;
    all += (row[i] ?? 0) / k;
  }
  const b = new Float64Array(k * k);
  for (let i = 0; i < k; i++)
    for (let j = 0; j < k; j++)
      b[i * k + j] = -0.5 * ((d2[i * k + j] ?? 0) - (row[i] ?? 0) - (row[j] ?? 0) + all);
  const eig = k >= 2 ? topTwo(b, k, 7) : [];
  const pos = Array.from({ length: k }, (_, i) => ({
    x: (eig[0]?.[0][i] ?? 0) * Math.sqrt(eig[0]?.[1] ?? 0),
    y: (eig[1]?.[0][i] ?? 0) * Math.sqrt(eig[1]?.[1] ?? 0),
    radius: 0,
  }));
  fitInto(pos);
  // Discs cover about a third of the map together, each in proportion to its papers.
  const total = Array.from(sizes).reduce((a, s) => a + s, 0);
  const scale = Math.sqrt(0.35 / (Math.PI * Math.max(1, total)));
  for (let i = 0; i < k; i++) pos[i]!.radius = Math.max(0.006, Math.sqrt(Math.max(1, sizes[i] ?? 0)) * scale);
  relax(pos);
  fitInto(pos);
  return pos;
}

/** Pushes overlapping discs apart (a few dozen passes; k is at most a few hundred). */
function relax(pos: { x: number; y: number; radius: number }[]): void {
  for (let pass = 0; pass < 60; pass++) {
    let moved = false;
    for (let i = 0; i < pos.length; i++)
      for (let j = i + 1; j < pos.length; j++) {
        const a = pos[i]!;
        const b = pos[j]!;
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        let dist = Math.hypot(dx, dy);
        const want = (a.radius + b.radius) * 1.05;
        if (dist >= want) continue;
        if (dist < 1e-9) {
          dx = Math.cos(i + j);
          dy = Math.sin(i + j);
          dist = 1;
        }
        const push = (want - (dist < 1e-9 ? 0 : dist)) / 2;
        a.x -= (dx / dist) * push;
        a.y -= (dy / dist) * push;
        b.x += (dx / dist) * push;
        b.y += (dy / dist) * push;
        moved = true;
      }
    if (!moved) break;
  }
}

/** Scales and shifts points (with their radii) so that the discs fit in [0.05, 0.95]². */
function fitInto(pos: { x: number; y: number; radius: number }[]): void {
  if (pos.length === 0) return;
  const minX = Math.min(...pos.map((p) => p.x - p.radius));
  const maxX = Math.max(...pos.map((p) => p.x + p.radius));
  const minY = Math.min(...pos.map((p) => p.y - p.radius));
  const maxY = Math.max(...pos.map((p) => p.y + p.radius));
  const span = Math.max(maxX - minX, maxY - minY, 1e-9);
  const s = 0.9 / span;
  const ox = 0.05 + (0.9 - (maxX - minX) * s) / 2;
  const oy = 0.05 + (0.9 - (maxY - minY) * s) / 2;
  for (const p of pos) {
    p.x = ox + (p.x - minX) * s;
    p.y = oy + (p.y - minY) * s;
    p.radius *= s;
  }
}

/**
 * Each topic's two directions of largest spread (power iteration over its papers' offsets from the
 * centroid) and the spread along each.
 */
export function topicAxes(
  rows: Rows,
  a: Assignment,
  centroids: Float32Array,
  k: number,
): { axes: Float32Array; spread: [number, number] }[] {
  const { data, n, dim } = rows;
  const members: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < n; i++) members[a.topic[i] ?? 0]?.push(i);
  const resid = new Float32Array(dim);
  const offset = (i: number, c: number): Float32Array => {
    for (let j = 0; j < dim; j++)
      resid[j] = (data[i * dim + j] as number) - (centroids[c * dim + j] as number);
    return resid;
  };
  return members.map((rowsOf, c) => {
    const axes = new Float32Array(2 * dim);
    const spread: [number, number] = [1e-3, 1e-3];
    const rng = createRng(c + 1);
    for (let e = 0; e < 2; e++) {
      let v = Float32Array.from({ length: dim }, () => rng.next() - 0.5);
      normalizeRow(v, 0, dim);
      for (let it = 0; it < 6 && rowsOf.length > 1; it++) {
        const w = new Float32Array(dim);
        for (const i of rowsOf) {
          const r = offset(i, c);
          let p = rowDot(r, 0, v, 0, dim);
          if (e === 1) p -= rowDot(r, 0, axes, 0, dim) * rowDot(axes, 0, v, 0, dim);
          for (let j = 0; j < dim; j++) w[j] = (w[j] as number) + p * (r[j] as number);
        }
        if (e === 1) {
          const d = rowDot(w, 0, axes, 0, dim);
          for (let j = 0; j < dim; j++) w[j] = (w[j] as number) - d * (axes[j] as number);
        }
        normalizeRow(w, 0, dim);
        v = w;
      }
      axes.set(v, e * dim);
      let s = 0;
      for (const i of rowsOf) s += rowDot(offset(i, c), 0, axes, e * dim, dim) ** 2;
      spread[e] = Math.max(1e-3, Math.sqrt(s / Math.max(1, rowsOf.length)));
    }
    return { axes, spread };
  });
}

/**
 * A paper's place: inside its topic's disc by its offset along the topic's axes (squashed so outliers stay
 * inside), drawn a little towards the second-nearest topic when it nearly belongs there too.
 */
export function placePoint(
  vec: Float32Array,
  off: number,
  centroids: Float32Array,
  geometry: readonly TopicGeometry[],
  dim: number,
): { topic: number; similarity: number; x: number; y: number } {
  let best = -Infinity;
  let second = -Infinity;
  let c1 = 0;
  let c2 = 0;
  for (let c = 0; c < geometry.length; c++) {
    const s = rowDot(vec, off, centroids, c * dim, dim);
    if (s > best) {
      second = best;
      c2 = c1;
      best = s;
      c1 = c;
    } else if (s > second) {
      second = s;
      c2 = c;
    }
  }
  const g = geometry[c1];
  if (g === undefined) return { topic: 0, similarity: 0, x: 0.5, y: 0.5 };
  const along = (e: number): number => {
    let s = 0;
    for (let j = 0; j < dim; j++)
      s += ((vec[off + j] as number) - (centroids[c1 * dim + j] as number)) * (g.axes[e * dim + j] as number);
    return Math.tanh(s / (2.2 * g.spread[e === 0 ? 0 : 1]));
  };
  let u = along(0);
  let w = along(1);
  const len = Math.hypot(u, w);
  if (len > 1) {
    u /= len;
    w /= len;
  }
  let x = g.x + g.radius * u;
  let y = g.y + g.radius * w;
  const other = geometry[c2];
  if (other !== undefined && c2 !== c1) {
    const pull = 0.25 * Math.exp((second - best) / 0.02);
    x += (other.x - g.x) * pull * 0.5;
    y += (other.y - g.y) * pull * 0.5;
  }
  return { topic: c1, similarity: best, x, y };
}
