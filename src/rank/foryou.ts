// "For you" ranking: a reader's positives and negatives become a Rocchio profile, nearest saved papers, and boosts.
import type { ScoredId } from '../domain/index.ts';
import { centroid, matrixOf, topIndices, type Matrix } from './foryou-math.ts';
import {
  lexicalContent,
  newEvidence,
  signalEvidence,
  vectorContent,
  type Evidence,
} from './foryou-evidence.ts';
import {
  prepareWindow,
  windowVectors,
  type PreparedWindow,
  type WindowPaper,
  type WindowVectors,
} from './foryou-window.ts';

export type { PreparedWindow, WindowPaper, WindowVectors } from './foryou-window.ts';
export { copyWindowVectors, createWindow, prepareWindow, windowVectors } from './foryou-window.ts';

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
export interface RankCandidate extends WindowPaper {
  vector: Float32Array | null;
}

export interface ForYouSignals {
  positives: readonly ProfilePaper[];
  /** Vectors of papers marked not interested. */
  negatives: readonly Float32Array[];
  /** Followed authors: normalized name → display name. */
  followedAuthors: ReadonlyMap<string, string>;
  followedCategories: ReadonlySet<string>;
  /** The window's papers in a followed topic: paper id → the topic's name. */
  followedTopics?: ReadonlyMap<string, string>;
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
  /**
   * The window's papers by a followed or hidden author, from an author index (each author's position in the
   * byline and normalized name); when given, the papers' own author lists are not read.
   */
  authorMatches?: readonly AuthorMatch[];
}

/** A paper whose byline holds a given normalized author name at `position`. */
export interface AuthorMatch {
  id: string;
  position: number;
  key: string;
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
  /** A followed topic: narrower than a category (a few hundred papers a month), so it weighs more. */
  topic: number;
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
  topic: 0.3,
  recency: 0.05,
  halfLifeDays: 7,
  seenPenalty: 0.1,
  maxNeighbours: 48,
  maxTags: 8,
  nearLimit: 2000,
};

export type ReasonKind = 'similar' | 'author' | 'alert' | 'topic' | 'category' | 'new';

export interface ForYouItem {
  id: string;
  score: number;
  /** One line for the reader: `similar to "…"`, `by …`, `matches your alert "…"`, `in cs.CL`. */
  reason: string;
  reasonKind: ReasonKind;
}

export interface VectorProfile {
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

function quoted(text: string, max = 80): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return `"${t.length > max ? `${t.slice(0, max - 1)}…` : t}"`;
}

function reasonOf(
  win: PreparedWindow,
  i: number,
  ev: Evidence,
  s: ForYouSignals,
  w: ForYouWeights,
): [ReasonKind, string] {
  const nearest = ev.nearest[i] as number;
  const authorAt = ev.authorAt[i] as number;
  const categoryAt = ev.categoryAt[i] as number;
  const parts: [ReasonKind, number][] = [
    ['similar', nearest >= 0 ? (ev.content[i] as number) : 0],
    ['author', authorAt >= 0 ? w.author : 0],
    ['alert', w.alert * (ev.alert[i] as number)],
    ['topic', ev.topicOf.has(i) ? w.topic : 0],
    ['category', categoryAt >= 0 ? w.category : 0],
  ];
  let [kind, best]: [ReasonKind, number] = ['new', 0];
  for (const [k, x] of parts) if (x > best) [kind, best] = [k, x];
  switch (kind) {
    case 'similar':
      return [kind, `similar to ${quoted(s.positives[nearest]?.title ?? '')}`];
    case 'author': {
      const key = ev.authorKey.get(i) ?? '';
      return [kind, `by ${s.followedAuthors.get(key) ?? win.authorsOf(i).names[authorAt] ?? ''}`];
    }
    case 'alert':
      return [kind, `matches your alert ${quoted(s.alerts[ev.alertOf[i] as number]?.query ?? '', 60)}`];
    case 'topic':
      return [kind, `in the topic ${quoted(ev.topicOf.get(i) ?? '', 60)}`];
    case 'category':
      return [kind, `in ${win.categoriesOf(i)[categoryAt] ?? ''}`];
    default:
      return ['new', `new in ${win.categoriesOf(i)[0] ?? 'arXiv'}`];
  }
}

/**
 * Ranks a prepared window for one reader (formula in docs/DESIGN.md, "For you") and returns the best `limit`,
 * best first, each with a one-line reason, and how many papers were ranked. Papers marked not interested, by
 * authors marked not interested, or already saved never appear. Ties: newer day first, then id.
 */
export function rankForYouWindow(
  win: PreparedWindow,
  vectors: WindowVectors | null,
  s: ForYouSignals,
  limit = Infinity,
  w: ForYouWeights = DEFAULT_FORYOU_WEIGHTS,
): { total: number; items: ForYouItem[] } {
  const n = win.size;
  const ev = newEvidence(n);
  signalEvidence(win, s, ev);
  const profile = buildVectorProfile(s.positives, s.negatives, w);
  if (profile !== null && vectors !== null) vectorContent(profile, vectors, w, ev);
  const state = vectors?.state;
  lexicalContent(win, s, w, ev, (i) => profile === null || state === undefined || state[i] === 0);
  const score = new Float64Array(n);
  const total = scoreWindow(win, ev, s, w, score);
  const { ids, days } = win;
  const before = (a: number, b: number): boolean =>
    ((score[b] as number) - (score[a] as number) ||
      (days[b] as string).localeCompare(days[a] as string) ||
      (ids[a] as string).localeCompare(ids[b] as string)) < 0;
  const top = topIndices(n, Math.min(limit, total), before, (i) => ev.hidden[i] !== 1);
  const items = top.map((i): ForYouItem => {
    const [reasonKind, reason] = reasonOf(win, i, ev, s, w);
    return { id: ids[i] as string, score: score[i] as number, reason, reasonKind };
  });
  return { total, items };
}

/**
 * Fills `score` with each visible paper's For-you score from its evidence; returns how many are visible. A function
 * of its own: in `rankForYouWindow` this loop over a large window (a day at 2.7M papers) was compiled on the stack
 * each time (on-stack replacement) and the rest of the function, not yet run, deoptimized it on every request.
 */
function scoreWindow(
  win: PreparedWindow,
  ev: Evidence,
  s: ForYouSignals,
  w: ForYouWeights,
  score: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < win.size; i++) {
    if (ev.hidden[i] === 1) continue;
    total++;
    score[i] =
      (ev.content[i] as number) +
      w.alert * (ev.alert[i] as number) +
      ((ev.authorAt[i] as number) >= 0 ? w.author : 0) +
      ((ev.categoryAt[i] as number) >= 0 ? w.category : 0) +
      (ev.topicOf.has(i) ? w.topic : 0) +
      w.recency * 2 ** (-(win.age[i] as number) / w.halfLifeDays) -
      (s.seen.has(win.ids[i] as string) ? w.seenPenalty : 0);
  }
  return total;
}

/**
 * Ranks the window's candidates for one reader (formula in docs/DESIGN.md, "For you"): best first, each
 * with a one-line reason. Papers marked not interested, by authors marked not interested, or already
 * saved never appear. Ties: newer day first, then id. (`rankForYouWindow` is the same over a prepared window.)
 * @example rankForYou(candidates, signals)[0] // { id: '2607.00002', score: 0.93, reason: 'by Ada Lovelace', reasonKind: 'author' }
 */
export function rankForYou(
  candidates: readonly RankCandidate[],
  s: ForYouSignals,
  w: ForYouWeights = DEFAULT_FORYOU_WEIGHTS,
): ForYouItem[] {
  const win = prepareWindow(candidates);
  const vectors = windowVectors(win, (i) => candidates[i]?.vector);
  return rankForYouWindow(win, vectors, s, Infinity, w).items;
}
