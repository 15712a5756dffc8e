// "For you" ranking: a reader's positives and negatives become a Rocchio profile, nearest saved papers, and boosts.
import type { ScoredId } from '../domain/index.ts';

/** A paper (or imported interest text) the reader showed interest in. */
export interface ProfilePaper {
  id: string;
  title: string;
  /** How much it counts: 1 for a save, less for an upvote or an unmatched imported reference. */
  weight: number;
  /** Library tags; each tag gets its own centroid. */
  tags: readonly string[];
  /** Unit vector from the active model, or null when there is none. */
  vector: Float32Array | null;
}

/** A paper of the window that may be recommended. */
export interface RankCandidate {
  id: string;
  /** YYYY-MM-DD */
  day: string;
  /** Display names, in byline order. */
  authors: readonly string[];
  /** `normalizeAuthorName` of each author, same order. */
  authorKeys: readonly string[];
  categories: readonly string[];
  vector: Float32Array | null;
}

export interface ForYouSignals {
  positives: readonly ProfilePaper[];
  /** Vectors of papers marked not interested. */
  negatives: readonly Float32Array[];
  /** Followed authors: normalized name → display name. */
  followedAuthors: ReadonlyMap<string, string>;
  followedCategories: ReadonlySet<string>;
  /** Papers never to return (marked not interested, or already saved). */
  hiddenPapers: ReadonlySet<string>;
  /** Normalized names of authors marked not interested: none of their papers is returned. */
  hiddenAuthors: ReadonlySet<string>;
  /** Each saved search's lexical hits over the window (BM25F, higher is better). */
  alerts: readonly { query: string; hits: readonly ScoredId[] }[];
  /** Without vectors: lexical hits of a query made of all positives' titles. */
  lexicalProfile?: readonly ScoredId[];
  /** Without vectors: lexical hits of each positive's title (index into `positives`). */
  lexicalNeighbours?: readonly { positive: number; hits: readonly ScoredId[] }[];
  /** Papers the reader has already seen (opened, or shown in a digest). */
  seen: ReadonlySet<string>;
}

/** The knobs of the formula in docs/DESIGN.md ("For you"), with their defaults. */
export interface ForYouWeights {
  /** Share of the profile (centroid) score in the content score; the rest is the nearest positive. */
  profileShare: number;
  /** Rocchio weight of the not-interested centroid. */
  negative: number;
  alert: number;
  author: number;
  category: number;
  recency: number;
  /** Recency half-life in days. */
  halfLifeDays: number;
  seenPenalty: number;
  /** At most this many positives (the heaviest, then the first given) are compared one by one. */
  maxNeighbours: number;
  /** At most this many tags get their own centroid (the largest). */
  maxTags: number;
  /** Candidates (best profile score first) that are compared with each positive one by one. */
  nearLimit: number;
}

export const DEFAULT_FORYOU_WEIGHTS: ForYouWeights = {
  profileShare: 0.5,
  negative: 0.3,
  alert: 0.5,
  author: 1.25,
  category: 0.15,
  recency: 0.05,
  halfLifeDays: 7,
  seenPenalty: 0.1,
  maxNeighbours: 48,
  maxTags: 8,
  nearLimit: 2000,
};

export type ReasonKind = 'similar' | 'author' | 'alert' | 'category' | 'new';

export interface ForYouItem {
  id: string;
  score: number;
  /** One line for the reader: `similar to "…"`, `by …`, `matches your alert "…"`, `in cs.CL`. */
  reason: string;
  reasonKind: ReasonKind;
}

const DAY_MS = 86_400_000;

/** Row-major matrix of unit vectors, so the hot loop reads one flat array. */
interface Matrix {
  data: Float32Array;
  rows: number;
  dim: number;
}

function matrixOf(vectors: readonly Float32Array[], dim: number): Matrix {
  const data = new Float32Array(vectors.length * dim);
  vectors.forEach((v, i) => data.set(v, i * dim));
  return { data, rows: vectors.length, dim };
}

/** Weighted sum of vectors, scaled to unit length; null when it is empty or zero. */
function centroid(
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

/** Dot product of `v` with the matrix row starting at `off`, four lanes at a time (the hot loop). */
function rowDot(data: Float32Array, off: number, v: Float32Array, dim: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let k = 0;
  for (; k + 3 < dim; k += 4) {
    a += (data[off + k] as number) * (v[k] as number);
    b += (data[off + k + 1] as number) * (v[k + 1] as number);
    c += (data[off + k + 2] as number) * (v[k + 2] as number);
    d += (data[off + k + 3] as number) * (v[k + 3] as number);
  }
  for (; k < dim; k++) a += (data[off + k] as number) * (v[k] as number);
  return a + b + c + d;
}

/** Best dot product of `v` with a matrix row, and which row. */
function bestRow(m: Matrix, v: Float32Array): [number, number] {
  let best = -Infinity;
  let arg = -1;
  for (let r = 0, off = 0; r < m.rows; r++, off += m.dim) {
    const dot = rowDot(m.data, off, v, m.dim);
    if (dot > best) {
      best = dot;
      arg = r;
    }
  }
  return [best, arg];
}

function dot(a: Float32Array, b: Float32Array): number {
  return rowDot(a, 0, b, a.length);
}

interface VectorProfile {
  centroids: Matrix;
  negative: Float32Array | null;
  neighbours: Matrix;
  /** Index into positives of each neighbour row. */
  neighbourOf: number[];
}

/**
 * The reader's vector profile: an overall centroid and one per tag, the not-interested centroid, and the
 * positives compared one by one. Null when no positive has a vector.
 */
export function buildVectorProfile(
  positives: readonly ProfilePaper[],
  negatives: readonly Float32Array[],
  w: ForYouWeights = DEFAULT_FORYOU_WEIGHTS,
): VectorProfile | null {
  const withVec = positives.map((p, i) => ({ p, i })).filter((x) => x.p.vector !== null);
  const first = withVec[0]?.p.vector;
  if (first === undefined || first === null) return null;
  const dim = first.length;
  const usable = withVec.filter((x) => x.p.vector?.length === dim);
  const vecs = usable.map((x) => x.p.vector as Float32Array);
  const cents: Float32Array[] = [];
  const all = centroid(
    vecs,
    usable.map((x) => x.p.weight),
    dim,
  );
  if (all) cents.push(all);
  const byTag = new Map<string, number[]>();
  usable.forEach((x, j) => {
    for (const t of x.p.tags) byTag.set(t, [...(byTag.get(t) ?? []), j]);
  });
  const tags = [...byTag].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  for (const [, members] of tags.slice(0, w.maxTags)) {
    const c = centroid(
      members.map((j) => vecs[j] as Float32Array),
      members.map((j) => usable[j]?.p.weight ?? 1),
      dim,
    );
    if (c) cents.push(c);
  }
  const near = usable
    .map((x, j) => ({ x, j }))
    .sort((a, b) => b.x.p.weight - a.x.p.weight || a.j - b.j)
    .slice(0, w.maxNeighbours);
  const negs = negatives.filter((n) => n.length === dim);
  return {
    centroids: matrixOf(cents, dim),
    negative: negs.length > 0 ? centroid(negs, [], dim) : null,
    neighbours: matrixOf(
      near.map((n) => vecs[n.j] as Float32Array),
      dim,
    ),
    neighbourOf: near.map((n) => n.x.i),
  };
}

/** Normalizes a lexical list to 0…1 by its best score (a list of zeros counts 1 per hit). */
function normalized(hits: readonly ScoredId[]): Map<string, number> {
  const max = hits.reduce((m, [, s]) => Math.max(m, s), 0);
  return new Map(hits.map(([id, s]) => [id, max > 0 ? s / max : 1]));
}

interface Content {
  score: number;
  /** Index into positives of the most similar one, or -1. */
  nearest: number;
}

type ContentFn = (c: RankCandidate) => Content;

/**
 * Vector content scores. The profile term is computed for every candidate; the nearest-positive term for
 * the `nearLimit` candidates with the best profile term (all of a normal window), where the profile term
 * stands in for it below that, so a 30,000-paper window costs little more than a 2,000-paper one.
 */
function vectorContent(
  profile: VectorProfile,
  w: ForYouWeights,
  candidates: readonly RankCandidate[],
): ContentFn {
  const dim = profile.centroids.dim;
  const profOf = new Map<string, number>();
  for (const c of candidates) {
    const v = c.vector;
    if (v === null || v.length !== dim) continue;
    const neg = profile.negative !== null ? dot(profile.negative, v) : 0;
    profOf.set(c.id, bestRow(profile.centroids, v)[0] - w.negative * neg);
  }
  let threshold = -Infinity;
  if (profOf.size > w.nearLimit)
    threshold = [...profOf.values()].sort((a, b) => b - a)[w.nearLimit - 1] ?? -Infinity;
  return (c) => {
    const prof = profOf.get(c.id);
    if (prof === undefined || c.vector === null) return { score: 0, nearest: -1 };
    if (prof < threshold) return { score: prof, nearest: -1 };
    const [nn, row] = bestRow(profile.neighbours, c.vector);
    return {
      score: w.profileShare * prof + (1 - w.profileShare) * nn,
      nearest: profile.neighbourOf[row] ?? -1,
    };
  };
}

function lexicalContent(s: ForYouSignals, w: ForYouWeights): ContentFn {
  const prof = normalized(s.lexicalProfile ?? []);
  const lists = (s.lexicalNeighbours ?? []).map((n) => ({ positive: n.positive, hits: normalized(n.hits) }));
  return (c) => {
    let nn = 0;
    let nearest = -1;
    for (const l of lists) {
      const x = l.hits.get(c.id) ?? 0;
      if (x > nn) [nn, nearest] = [x, l.positive];
    }
    return { score: w.profileShare * (prof.get(c.id) ?? 0) + (1 - w.profileShare) * nn, nearest };
  };
}

function hidden(c: RankCandidate, s: ForYouSignals): boolean {
  return s.hiddenPapers.has(c.id) || c.authorKeys.some((k) => s.hiddenAuthors.has(k));
}

function quoted(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

/** The evidence for one candidate, each part already weighted. */
interface Evidence {
  content: Content;
  alert: number;
  alertQuery: string;
  /** Index into the candidate's authors of the first followed one, or -1. */
  authorAt: number;
  category: string | undefined;
}

function reasonOf(c: RankCandidate, e: Evidence, s: ForYouSignals, w: ForYouWeights): [ReasonKind, string] {
  const parts: [ReasonKind, number][] = [
    ['similar', e.content.nearest >= 0 ? e.content.score : 0],
    ['author', e.authorAt >= 0 ? w.author : 0],
    ['alert', w.alert * e.alert],
    ['category', e.category !== undefined ? w.category : 0],
  ];
  let [kind, best]: [ReasonKind, number] = ['new', 0];
  for (const [k, x] of parts) if (x > best) [kind, best] = [k, x];
  switch (kind) {
    case 'similar':
      return [kind, `similar to ${quoted(s.positives[e.content.nearest]?.title ?? '')}`];
    case 'author': {
      const key = c.authorKeys[e.authorAt] ?? '';
      return [kind, `by ${s.followedAuthors.get(key) ?? c.authors[e.authorAt] ?? ''}`];
    }
    case 'alert':
      return [kind, `matches your alert ${quoted(e.alertQuery, 60)}`];
    case 'category':
      return [kind, `in ${e.category ?? ''}`];
    default:
      return ['new', `new in ${c.categories[0] ?? 'arXiv'}`];
  }
}

/**
 * Ranks the window's candidates for one reader (formula in docs/DESIGN.md, "For you"): best first, each
 * with a one-line reason. Papers marked not interested, by authors marked not interested, or already
 * saved never appear. Ties: newer day first, then id.
 * @example rankForYou(candidates, signals)[0] // { id: '2607.00002', score: 0.93, reason: 'by Ada Lovelace', reasonKind: 'author' }
 */
export function rankForYou(
  candidates: readonly RankCandidate[],
  s: ForYouSignals,
  w: ForYouWeights = DEFAULT_FORYOU_WEIGHTS,
): ForYouItem[] {
  const profile = buildVectorProfile(s.positives, s.negatives, w);
  const vec = profile !== null ? vectorContent(profile, w, candidates) : null;
  const lex = lexicalContent(s, w);
  const alerts = s.alerts.map((a) => ({ query: a.query, hits: normalized(a.hits) }));
  const newestMs = Date.parse(candidates.reduce((m, c) => (c.day > m ? c.day : m), ''));
  const scored: (ForYouItem & { day: string })[] = [];
  for (const c of candidates) {
    if (hidden(c, s)) continue;
    const e: Evidence = {
      content: vec !== null && c.vector !== null ? vec(c) : lex(c),
      alert: 0,
      alertQuery: '',
      authorAt: c.authorKeys.findIndex((k) => s.followedAuthors.has(k)),
      category: c.categories.find((k) => s.followedCategories.has(k)),
    };
    for (const a of alerts) {
      const x = a.hits.get(c.id) ?? 0;
      if (x > e.alert) [e.alert, e.alertQuery] = [x, a.query];
    }
    const age = Math.max(0, (newestMs - Date.parse(c.day)) / DAY_MS);
    const score =
      e.content.score +
      w.alert * e.alert +
      (e.authorAt >= 0 ? w.author : 0) +
      (e.category !== undefined ? w.category : 0) +
      w.recency * 2 ** (-(Number.isFinite(age) ? age : 0) / w.halfLifeDays) -
      (s.seen.has(c.id) ? w.seenPenalty : 0);
    const [reasonKind, reason] = reasonOf(c, e, s, w);
    scored.push({ id: c.id, score, reason, reasonKind, day: c.day });
  }
  scored.sort((a, b) => b.score - a.score || b.day.localeCompare(a.day) || a.id.localeCompare(b.id));
  return scored.map(({ id, score, reason, reasonKind }) => ({ id, score, reason, reasonKind }));
}
