// BM25F scoring of one posting, and term-at-a-time scoring into a dense accumulator; formula in docs/DESIGN.md.
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

/** One query term's constants: per field weight, 1 - b and b / average length, so a posting costs a multiply-add. */
export interface TermScoring {
  readonly wT: number;
  readonly nT: number;
  readonly sT: number;
  readonly wA: number;
  readonly nA: number;
  readonly sA: number;
  readonly wU: number;
  readonly nU: number;
  readonly sU: number;
  readonly k1: number;
  /** Query weight × idf × (k1 + 1). */
  readonly weight: number;
}

/**
 * The constants for scoring `term` with `queryWeight` under the index's current statistics.
 * @example const ts = termScoring(state, termId, 1); postingScore(ts, state.docs.lengths, d, tf)
 */
export function termScoring(state: IndexState, term: number, queryWeight: number): TermScoring {
  const { options, docs } = state;
  const avg = docs.averageLengths();
  const { title, abstract, authors } = options.fields;
  const k1 = options.k1;
  return {
    wT: title.weight,
    nT: 1 - title.b,
    sT: title.b / (avg[0] ?? 1),
    wA: abstract.weight,
    nA: 1 - abstract.b,
    sA: abstract.b / (avg[1] ?? 1),
    wU: authors.weight,
    nU: 1 - authors.b,
    sU: authors.b / (avg[2] ?? 1),
    k1,
    weight: queryWeight * idf(docs.liveCount, state.df[term] ?? 0) * (k1 + 1),
  };
}

/**
 * BM25F share of one posting (document `d`, packed field counts `tf`); 0 exactly when no scored field holds
 * the term. Every scoring path calls this (or multiplies `ts.weight` by a cached `unitPostingScore`, which
 * is the same product), so pruned and exhaustive searches give bit-identical scores.
 */
export function postingScore(ts: TermScoring, lengths: Uint16Array, d: number, tf: number): number {
  return ts.weight * unitPostingScore(ts, lengths, d, tf);
}

/**
 * The part of `postingScore` that does not depend on the query: saturated term frequency x / (k1 + x), in
 * [0, 1). It changes only when the index statistics change, so it can be cached per posting.
 */
export function unitPostingScore(ts: TermScoring, lengths: Uint16Array, d: number, tf: number): number {
  const x = weightedFrequency(ts, lengths, d, tf);
  return x === 0 ? 0 : x / (ts.k1 + x);
}

/**
 * The length-normalised, field-weighted term frequency x of one posting, which `unitPostingScore` saturates
 * to x / (k1 + x).
 */
function weightedFrequency(ts: TermScoring, lengths: Uint16Array, d: number, tf: number): number {
  const base = d * FIELD_COUNT;
  let x = 0;
  const t = tf & 15,
    a = (tf >>> 4) & 255,
    u = tf >>> 12;
  if (t !== 0) x += (ts.wT * t) / (ts.nT + ts.sT * (lengths[base] ?? 0));
  if (a !== 0) x += (ts.wA * a) / (ts.nA + ts.sA * (lengths[base + 1] ?? 0));
  if (u !== 0) x += (ts.wU * u) / (ts.nU + ts.sU * (lengths[base + 2] ?? 0));
  return x;
}

/**
 * Whether a posting's unit score is surely below `unitNeed`, given `frequencyNeeded` for it: from its
 * weighted frequency, without the saturating division, and for a posting without author counts (nearly all)
 * with multiplications instead of the length divisions. Never true for a posting that reaches it.
 */
export function surelyBelow(
  ts: TermScoring,
  lengths: Uint16Array,
  d: number,
  tf: number,
  frequencyNeed: number,
): boolean {
  if (tf < 4096) {
    // No author count (from bit 12): x = wT·t / dT + wA·a / dA, compared with both sides times the (positive)
    // normalisers; in the abstract alone (no title count, the low 4 bits), one multiplication.
    const base = d * FIELD_COUNT;
    const t = tf & 15;
    const dA = ts.nA + ts.sA * (lengths[base + 1] ?? 0);
    if (t === 0) return ts.wA * (tf >>> 4) < frequencyNeed * dA;
    const dT = ts.nT + ts.sT * (lengths[base] ?? 0);
    return ts.wT * t * dA + ts.wA * (tf >>> 4) * dT < frequencyNeed * dT * dA;
  }
  return weightedFrequency(ts, lengths, d, tf) < frequencyNeed;
}

/**
 * Margin that keeps a threshold derived from another (`frequencyNeeded`'s from a unit score, MaxScore's unit
 * score from θ) below the exact one whatever the rounding.
 */
export const NEED_MARGIN = 1 - 1e-12;

/**
 * The weighted frequency x a posting needs for a unit score x / (k1 + x) of `unitNeed`, rounded down by a
 * margin (so `surelyBelow` never rejects a posting that reaches `unitNeed`): 0 when any score does, Infinity
 * when none can (unit scores stay below 1).
 * @example frequencyNeeded(1.6, 0.5) // just under 1.6
 */
export function frequencyNeeded(k1: number, unitNeed: number): number {
  if (!(unitNeed > 0)) return 0;
  if (unitNeed >= 1) return Infinity;
  return ((k1 * unitNeed) / (1 - unitNeed)) * NEED_MARGIN;
}

/**
 * Adds `queryWeight` × BM25F(term) to every live document containing `term`.
 */
export function addTermScores(state: IndexState, term: number, queryWeight: number, acc: Accumulator): void {
  const ts = termScoring(state, term, queryWeight);
  const { lengths, alive } = state.docs;
  const { scores, touched } = acc;
  const visit = (d: number, tf: number): void => {
    if (alive[d] !== 1) return;
    const s = postingScore(ts, lengths, d, tf);
    if (s === 0) return;
    const prev = scores[d] ?? 0;
    if (prev === 0) touched[acc.touchedCount++] = d;
    scores[d] = prev + s;
  };
  const block = state.postings.readBlocks(term);
  const { docs: postDocs, tfs } = block;
  while (block.nextBlock())
    for (let i = 0, e = block.length; i < e; i++) visit(postDocs[i] ?? 0, tfs[i] ?? 0);
  const list = state.postings.tail[term];
  if (list !== undefined) for (let i = 0; i < list.length; i += 2) visit(list[i] ?? 0, list[i + 1] ?? 0);
}
