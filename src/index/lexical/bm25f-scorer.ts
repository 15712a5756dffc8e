// Term-at-a-time BM25F scoring into a dense accumulator; the formula is written out in docs/DESIGN.md.
import { FIELD_COUNT } from './doc-table.ts';
import type { IndexState } from './index-state.ts';

/** Reusable per-search buffers sized to the document count. */
export interface Accumulator {
  scores: Float64Array;
  /** Documents with a non-zero score, in first-touch order; `touchedCount` of them are valid. */
  touched: Int32Array;
  touchedCount: number;
}

/**
 * Buffers for `docCount` documents, reusing `previous` when it is large enough (its scores must be zero).
 * @example let acc = makeAccumulator(state.docs.count, null);
 */
export function makeAccumulator(docCount: number, previous: Accumulator | null): Accumulator {
  if (previous !== null && previous.scores.length >= docCount) return previous;
  const size = Math.max(docCount, 1024);
  return { scores: new Float64Array(size), touched: new Int32Array(size), touchedCount: 0 };
}

/** Zeroes the scores the last search touched, ready for the next one. */
export function resetAccumulator(acc: Accumulator): void {
  for (let i = 0; i < acc.touchedCount; i++) acc.scores[acc.touched[i] ?? 0] = 0;
  acc.touchedCount = 0;
}

/**
 * Inverse document frequency with the +1 inside the log, so it is positive even for very common terms.
 * @example idf(1000, 10) // ≈ 4.55
 */
export function idf(docCount: number, df: number): number {
  return Math.log(1 + (docCount - df + 0.5) / (df + 0.5));
}

/**
 * Adds `queryWeight` × BM25F(term) to every live document containing `term`.
 * @example addTermScores(state, termId, 1, acc);
 */
export function addTermScores(state: IndexState, term: number, queryWeight: number, acc: Accumulator): void {
  const { options, docs } = state;
  const avg = docs.averageLengths();
  const { title, abstract, authors } = options.fields;
  // Per field: weight, 1 - b and b / avgLength, so the per-posting work is a multiply-add.
  const wT = title.weight,
    nT = 1 - title.b,
    sT = title.b / (avg[0] ?? 1);
  const wA = abstract.weight,
    nA = 1 - abstract.b,
    sA = abstract.b / (avg[1] ?? 1);
  const wU = authors.weight,
    nU = 1 - authors.b,
    sU = authors.b / (avg[2] ?? 1);
  const k1 = options.k1;
  const weight = queryWeight * idf(docs.liveCount, state.df[term] ?? 0) * (k1 + 1);
  const { lengths, alive } = docs;
  const { scores, touched } = acc;
  const visit = (d: number, tf: number): void => {
    if (alive[d] !== 1) return;
    const base = d * FIELD_COUNT;
    let x = 0;
    const t = tf & 15,
      a = (tf >>> 4) & 255,
      u = tf >>> 12;
    if (t !== 0) x += (wT * t) / (nT + sT * (lengths[base] ?? 0));
    if (a !== 0) x += (wA * a) / (nA + sA * (lengths[base + 1] ?? 0));
    if (u !== 0) x += (wU * u) / (nU + sU * (lengths[base + 2] ?? 0));
    if (x === 0) return;
    const prev = scores[d] ?? 0;
    if (prev === 0) touched[acc.touchedCount++] = d;
    scores[d] = prev + (weight * x) / (k1 + x);
  };
  const { offsets, docs: postDocs, tfs } = state.postings.sealed;
  if (term + 1 < offsets.length) {
    for (let p = offsets[term] ?? 0, e = offsets[term + 1] ?? 0; p < e; p++)
      visit(postDocs[p] ?? 0, tfs[p] ?? 0);
  }
  const list = state.postings.tail[term];
  if (list !== undefined) for (let i = 0; i < list.length; i += 2) visit(list[i] ?? 0, list[i + 1] ?? 0);
}
