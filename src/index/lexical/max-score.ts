// Exact top-k by MaxScore: document-at-a-time over the query's postings, skipping documents that cannot win.
import { termScoring, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { END_OF_POSTINGS, PostingCursor } from './posting-cursor.ts';
import { blockStep, type TermBounds } from './term-bounds.ts';
import { TopK } from './top-k.ts';

/*
 * MaxScore (Turtle & Flood, 1995). Terms are ordered by their upper bound (the most any document gets
 * from them). Once the k-th best score θ exceeds the summed bounds of the weakest terms, a document that
 * holds only those terms cannot enter the top k: they become "non-essential", and only documents of the
 * essential terms are visited; non-essential lists are probed by skipping ahead. A visited document is
 * also dropped as soon as its partial score plus the bounds still unprobed falls below θ.
 *
 * Block maxima (block-max MaxScore): where the index knows each sealed block's largest unit score (see
 * term-bounds.ts), documents are taken in ranges: from the candidate to the first end of the essential
 * lists' current blocks. There each essential list is bounded by its current block, each non-essential one
 * by the largest of its blocks over the range (read from its block table, nothing decoded); a tail is one
 * block bounded by its term's bound. (b) When the range's bounds together cannot reach θ, every essential
 * cursor jumps past the range's end, and a cursor whose block ends there leaves the rest of it undecoded.
 * (a) Else a candidate whose own lists' block bounds plus the non-essential ones cannot reach θ is passed
 * over without scoring or probing, and probes stop on the range's non-essential bounds instead of the
 * terms'. The bounds are computed once per range (θ only grows, so they stay safe), not per candidate:
 * per candidate they cost more CPU than the decoding they saved (docs/BENCHMARKS.md, #23 block-max).
 *
 * Results equal exhaustive term-at-a-time scoring bit for bit: each posting's share is the same
 * `postingScore` (read as weight × cached impact for long lists, the same product), and a document's
 * shares are summed in query order starting from 0, as the accumulator does. Bounds are compared with a
 * relative slack (SLACK) so rounding can only make pruning more timid.
 */

const SLACK = 1 + 1e-9;

/** One scored query term: its id and query weight, in query order. */
export interface QueryTerm {
  readonly term: number;
  readonly weight: number;
}

/**
 * The k best documents passing `accept` for the summed BM25F scores of `terms`, as [doc, score] best first
 * (ties: lower doc first) — the same list as scoring every posting and keeping the k best.
 */
export function maxScoreTop(
  state: IndexState,
  terms: readonly QueryTerm[],
  accept: (d: number) => boolean,
  k: number,
  bounds: TermBounds,
  useBlocks = true,
): [number, number][] {
  const n = terms.length;
  const scoringOf: TermScoring[] = terms.map((t) => termScoring(state, t.term, t.weight));
  const ub = terms.map((t, i) => bounds.get(state, t.term, scoringOf[i]!));
  // Position m runs from the weakest bound to the strongest: term[m] is the query position of the term
  // there, cursor[m] and scoring[m] its cursor and constants; upTo[m] sums the bounds of positions 0..m.
  const term = ub.map((_, i) => i).sort((a, b) => (ub[a] ?? 0) - (ub[b] ?? 0) || a - b);
  const cursor = term.map((i) => {
    const t = terms[i]!.term;
    return new PostingCursor(state, t, bounds.impacts(t), useBlocks ? bounds.blockMax(t) : null);
  });
  // A block's bound is its quantised steps times the term's step; block tests run only where some list has
  // block maxima.
  const step = term.map((i) => blockStep(ub[i] ?? 0));
  const blocky = cursor.some((c) => c.blockMax !== null);
  const scoring = term.map((i) => scoringOf[i]!);
  const upTo = new Float64Array(n);
  term.reduce((sum, i, m) => (upTo[m] = (sum + (ub[i] ?? 0)) * SLACK), 0);
  const share = new Float64Array(n); // by query position
  // The current range of documents (rangeEnd is its last; -1 before the first) and its block bounds: by
  // position, blockShare[m] bounds list m's share there, blockUpTo[m] sums them as upTo does, rangeSum all.
  const blockShare = new Float64Array(n);
  const blockUpTo = new Float64Array(n);
  let rangeEnd = -1;
  let rangeFrom = -1;
  let rangeSum = 0;
  const lengths = state.docs.lengths;
  const top = new TopK(k);
  let theta = -Infinity;
  let firstEssential = 0;
  for (;;) {
    let d = END_OF_POSTINGS;
    for (let m = firstEssential; m < n; m++) {
      const doc = cursor[m]!.doc;
      if (doc < d) d = doc;
    }
    if (d === END_OF_POSTINGS) break;
    // Block maxima apply once θ is known; `ranged` then says the range's bounds hold for d.
    const ranged = blocky && theta > -Infinity;
    if (ranged) {
      if (d > rangeEnd || rangeFrom !== firstEssential) {
        // A new range: from d to the first end of the essential lists' current blocks. Each essential list
        // is bounded there by its current block, each non-essential one by its blocks over the range.
        let end = END_OF_POSTINGS;
        for (let m = firstEssential; m < n; m++) {
          const c = cursor[m]!;
          blockShare[m] = c.blockBound() * step[m]!;
          const e = c.blockEnd();
          if (e < end) end = e;
        }
        let sum = 0;
        for (let m = 0; m < firstEssential; m++) {
          blockShare[m] = cursor[m]!.rangeBound(d, end) * step[m]!;
          blockUpTo[m] = sum = (sum + blockShare[m]!) * SLACK;
        }
        for (let m = firstEssential; m < n; m++) sum += blockShare[m]!;
        rangeSum = sum;
        rangeEnd = end;
        rangeFrom = firstEssential;
      }
      if (rangeSum * SLACK < theta) {
        // (b) No document from d to the range's end can reach θ: every essential cursor moves past it.
        for (let m = firstEssential; m < n; m++) cursor[m]!.advance(rangeEnd + 1);
        rangeEnd = -1;
        continue;
      }
      let atD = firstEssential > 0 ? blockUpTo[firstEssential - 1]! : 0;
      for (let m = firstEssential; m < n; m++) if (cursor[m]!.doc === d) atD += blockShare[m]!;
      if (atD * SLACK < theta) {
        // (a) d cannot reach θ.
        for (let m = firstEssential; m < n; m++) if (cursor[m]!.doc === d) cursor[m]!.next();
        continue;
      }
    }
    const wanted = accept(d);
    let partial = 0;
    for (let m = firstEssential; m < n; m++) {
      const c = cursor[m]!;
      let s = 0;
      if (c.doc === d) {
        if (wanted) s = c.score(scoring[m]!, lengths);
        c.next();
      }
      share[term[m]!] = s;
      partial += s;
    }
    if (!wanted || !probe(d, partial, firstEssential, ranged)) continue;
    let score = 0;
    let touched = false;
    for (let i = 0; i < n; i++) {
      const s = share[i]!;
      if (s !== 0) {
        score += s;
        touched = true;
      }
    }
    if (!touched || score < theta) continue;
    top.offer(d, score);
    if (top.length < k) continue;
    theta = top.floor;
    while (firstEssential < n && upTo[firstEssential]! < theta) firstEssential++;
    if (firstEssential === n) break;
  }
  return top.drain();

  /**
   * Adds the non-essential shares of `d`, strongest first; false as soon as `d` cannot reach θ. `ranged`: the
   * current range's block bounds (blockUpTo) hold for d.
   */
  function probe(d: number, partial: number, essentialFrom: number, ranged: boolean): boolean {
    const bound = ranged ? blockUpTo : upTo;
    for (let m = essentialFrom - 1; m >= 0; m--) {
      if ((partial + bound[m]!) * SLACK < theta) return false;
      const c = cursor[m]!;
      c.advance(d);
      const s = c.doc === d ? c.score(scoring[m]!, lengths) : 0;
      share[term[m]!] = s;
      partial += s;
    }
    return partial * SLACK >= theta;
  }
}
