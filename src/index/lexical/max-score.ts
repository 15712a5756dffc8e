// Exact top-k by MaxScore: document-at-a-time over the query's postings, skipping documents that cannot win.
import { termScoring, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { END_OF_POSTINGS, PostingCursor } from './posting-cursor.ts';
import type { TermBounds } from './term-bounds.ts';
import { TopK } from './top-k.ts';

/*
 * MaxScore (Turtle & Flood, 1995). Terms are ordered by their upper bound (the most any document gets
 * from them). Once the k-th best score θ exceeds the summed bounds of the weakest terms, a document that
 * holds only those terms cannot enter the top k: they become "non-essential", and only documents of the
 * essential terms are visited; non-essential lists are probed by skipping ahead. A visited document is
 * also dropped as soon as its partial score plus the bounds still unprobed falls below θ.
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
): [number, number][] {
  const n = terms.length;
  const scoringOf: TermScoring[] = terms.map((t) => termScoring(state, t.term, t.weight));
  const ub = terms.map((t, i) => bounds.get(state, t.term, scoringOf[i]!));
  // Position m runs from the weakest bound to the strongest: term[m] is the query position of the term
  // there, cursor[m] and scoring[m] its cursor and constants; upTo[m] sums the bounds of positions 0..m.
  const term = ub.map((_, i) => i).sort((a, b) => (ub[a] ?? 0) - (ub[b] ?? 0) || a - b);
  const cursor = term.map((i) => new PostingCursor(state, terms[i]!.term, bounds.impacts(terms[i]!.term)));
  const scoring = term.map((i) => scoringOf[i]!);
  const upTo = new Float64Array(n);
  term.reduce((sum, i, m) => (upTo[m] = (sum + (ub[i] ?? 0)) * SLACK), 0);
  const share = new Float64Array(n); // by query position
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
    if (!wanted || !probe(d, partial, firstEssential)) continue;
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

  /** Adds the non-essential shares of `d`, strongest first; false as soon as `d` cannot reach θ. */
  function probe(d: number, partial: number, essentialFrom: number): boolean {
    for (let m = essentialFrom - 1; m >= 0; m--) {
      if ((partial + upTo[m]!) * SLACK < theta) return false;
      const c = cursor[m]!;
      c.advance(d);
      const s = c.doc === d ? c.score(scoring[m]!, lengths) : 0;
      share[term[m]!] = s;
      partial += s;
    }
    return partial * SLACK >= theta;
  }
}
