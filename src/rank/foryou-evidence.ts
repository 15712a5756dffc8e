// Evidence of the For-you ranking per window paper: content (vectors or words), hidden, follows, alerts.
import type { ScoredId } from '../domain/index.ts';
import type { AuthorMatch, ForYouSignals, ForYouWeights, VectorProfile } from './foryou.ts';
import { bestRow, rowDot } from './foryou-math.ts';
import { SCRATCH_ROWS, type PreparedWindow, type WindowVectors } from './foryou-window.ts';

/** Normalizes a lexical list to 0…1 by its best score (a list of zeros counts 1 per hit). */
function normalized(hits: readonly ScoredId[]): Map<string, number> {
  const max = hits.reduce((m, [, s]) => Math.max(m, s), 0);
  return new Map(hits.map(([id, s]) => [id, max > 0 ? s / max : 1]));
}

/** Per-paper evidence of one ranking, by position in the window; each part before its weight. */
export interface Evidence {
  content: Float64Array;
  /** Index into positives of the most similar one, or -1. */
  nearest: Int32Array;
  alert: Float64Array;
  /** Index into the alerts of the best match, or -1. */
  alertOf: Int32Array;
  /** Position in the byline of the first followed author, or -1. */
  authorAt: Int32Array;
  /** That author's normalized name, by paper. */
  authorKey: Map<number, string>;
  /** Position in the paper's categories of the first followed one, or -1. */
  categoryAt: Int32Array;
  /** The followed topic's name, by paper (papers in no followed topic are absent). */
  topicOf: Map<number, string>;
  hidden: Uint8Array;
}

/**
 * Empty evidence for a window of `n` papers.
 */
export function newEvidence(n: number): Evidence {
  return {
    content: new Float64Array(n),
    nearest: new Int32Array(n).fill(-1),
    alert: new Float64Array(n),
    alertOf: new Int32Array(n).fill(-1),
    authorAt: new Int32Array(n).fill(-1),
    authorKey: new Map(),
    categoryAt: new Int32Array(n).fill(-1),
    topicOf: new Map(),
    hidden: new Uint8Array(n),
  };
}

/**
 * Vector content scores (`ev.content`, `ev.nearest`). The profile term is computed for every paper with a
 * vector; the nearest-positive term for the `nearLimit` papers with the best profile term (all of a normal
 * window), where the profile term stands in for it below that, so 30,000 papers cost little more than 2,000.
 */
export function vectorContent(
  profile: VectorProfile,
  vecs: WindowVectors,
  w: ForYouWeights,
  ev: Evidence,
): void {
  const { dim, state } = vecs;
  if (profile.centroids.dim !== dim) return;
  const dots = profileDots(profile, vecs);
  const n = state.length;
  const prof = new Float64Array(n);
  let rows = 0;
  for (let i = 0, off = 0; i < n; i++, off += dim) {
    if (state[i] !== 1) continue;
    prof[i] = dots.best(true, off) - w.negative * dots.negative(off);
    rows++;
  }
  let threshold = -Infinity;
  if (rows > w.nearLimit) {
    const sorted = new Float64Array(rows);
    for (let i = 0, j = 0; i < n; i++) if (state[i] === 1) sorted[j++] = prof[i] as number;
    sorted.sort();
    threshold = sorted[rows - w.nearLimit] as number;
  }
  const arg = { arg: -1 };
  for (let i = 0, off = 0; i < n; i++, off += dim) {
    if (state[i] !== 1 || ev.hidden[i] === 1) continue;
    const p = prof[i] as number;
    if (p < threshold) {
      ev.content[i] = p;
      continue;
    }
    const nn = dots.best(false, off, arg);
    ev.content[i] = w.profileShare * p + (1 - w.profileShare) * nn;
    ev.nearest[i] = profile.neighbourOf[arg.arg] ?? -1;
  }
}

interface ProfileDots {
  /** Best dot product of the window row at `off` with a centroid (`centroids`) or a neighbour; `out.arg` the row. */
  best(centroids: boolean, off: number, out?: { arg: number }): number;
  /** Dot product with the not-interested centroid (0 without one). */
  negative(off: number): number;
}

/** The profile's dot products with window rows: in the window's SIMD space when its scratch rows suffice. */
function profileDots(profile: VectorProfile, vecs: WindowVectors): ProfileDots {
  const { dim, data, space } = vecs;
  const { centroids, neighbours, negative } = profile;
  if (space === null || centroids.rows + neighbours.rows + 1 > SCRATCH_ROWS)
    return {
      best: (c, off, out) => bestRow(c ? centroids : neighbours, data, off, out),
      negative: (off) => (negative !== null ? rowDot(negative, 0, data, off, dim) : 0),
    };
  const base = data.length;
  const at = {
    centroids: base,
    neighbours: base + centroids.rows * dim,
    negative: base + (centroids.rows + neighbours.rows) * dim,
  };
  space.f32.set(centroids.data, at.centroids);
  space.f32.set(neighbours.data, at.neighbours);
  if (negative !== null) space.f32.set(negative, at.negative);
  return {
    best(c, off, out) {
      const [start, rows] = c ? [at.centroids, centroids.rows] : [at.neighbours, neighbours.rows];
      let best = -Infinity;
      let arg = -1;
      for (let r = 0; r < rows; r++) {
        const dot = space.dot(start + r * dim, off, dim);
        if (dot > best) [best, arg] = [dot, r];
      }
      if (out !== undefined) out.arg = arg;
      return best;
    },
    negative: (off) => (negative !== null ? space.dot(at.negative, off, dim) : 0),
  };
}

/**
 * Lexical content scores (BM25F lists, each divided by its best) for the papers `applies` selects.
 */
export function lexicalContent(
  win: PreparedWindow,
  s: ForYouSignals,
  w: ForYouWeights,
  ev: Evidence,
  applies: (i: number) => boolean,
): void {
  const n = win.size;
  const prof = new Float64Array(n);
  const nn = new Float64Array(n);
  const nearest = new Int32Array(n).fill(-1);
  for (const [id, x] of normalized(s.lexicalProfile ?? [])) {
    const i = win.indexOf.get(id);
    if (i !== undefined) prof[i] = x;
  }
  for (const l of s.lexicalNeighbours ?? [])
    for (const [id, x] of normalized(l.hits)) {
      const i = win.indexOf.get(id);
      if (i !== undefined && x > (nn[i] as number)) [nn[i], nearest[i]] = [x, l.positive];
    }
  for (let i = 0; i < n; i++) {
    if (!applies(i) || ev.hidden[i] === 1) continue;
    ev.content[i] = w.profileShare * (prof[i] as number) + (1 - w.profileShare) * (nn[i] as number);
    ev.nearest[i] = nearest[i] as number;
  }
}

/** The window's papers by followed or hidden authors: the given matches, else a scan of every byline. */
function authorMatchesOf(win: PreparedWindow, s: ForYouSignals): readonly AuthorMatch[] {
  if (s.authorMatches !== undefined) return s.authorMatches;
  if (s.followedAuthors.size === 0 && s.hiddenAuthors.size === 0) return [];
  const out: AuthorMatch[] = [];
  for (let i = 0; i < win.size; i++)
    win.authorsOf(i).keys.forEach((key, position) => {
      if (s.followedAuthors.has(key) || s.hiddenAuthors.has(key))
        out.push({ id: win.ids[i] as string, position, key });
    });
  return out;
}

/**
 * Hidden papers, followed authors, categories and topics, and alert matches.
 * @example signalEvidence(win, signals, ev); ev.hidden[0]
 */
export function signalEvidence(win: PreparedWindow, s: ForYouSignals, ev: Evidence): void {
  for (let i = 0; i < win.size; i++) if (s.hiddenPapers.has(win.ids[i] as string)) ev.hidden[i] = 1;
  for (const m of authorMatchesOf(win, s)) {
    const i = win.indexOf.get(m.id);
    if (i === undefined) continue;
    if (s.hiddenAuthors.has(m.key)) ev.hidden[i] = 1;
    const at = ev.authorAt[i] as number;
    if (s.followedAuthors.has(m.key) && (at < 0 || m.position < at)) {
      ev.authorAt[i] = m.position;
      ev.authorKey.set(i, m.key);
    }
  }
  if (s.followedCategories.size > 0)
    for (let i = 0; i < win.size; i++)
      ev.categoryAt[i] = win.categoriesOf(i).findIndex((c) => s.followedCategories.has(c));
  for (const [id, label] of s.followedTopics ?? []) {
    const i = win.indexOf.get(id);
    if (i !== undefined) ev.topicOf.set(i, label);
  }
  s.alerts.forEach((a, q) => {
    for (const [id, x] of normalized(a.hits)) {
      const i = win.indexOf.get(id);
      if (i !== undefined && x > (ev.alert[i] as number)) [ev.alert[i], ev.alertOf[i]] = [x, q];
    }
  });
}
