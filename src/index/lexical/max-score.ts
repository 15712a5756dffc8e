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
 * `postingScore` (read as weight × cached impact for long lists, the same product), and a document's shares are summed in query order starting from 0, as the accumulator
 * does. Bounds are compared with a relative slack (SLACK) so rounding can only make pruning more timid.
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
 * @example maxScoreTop(state, [{ term: 7, weight: 1 }], (d) => true, 10, bounds)
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
  const lastImpacts = cursor[n - 1]?.cachedImpacts ?? null;
  for (;;) {
    if (firstEssential === n - 1 && lastImpacts !== null) {
      // One essential list left, with cached impacts (the usual case once θ is known): walk its sealed
      // postings in `walkSealed`, which comes back whenever the top k may have changed.
      const last = cursor[n - 1]!;
      const [from, base, end] = last.sealedRange();
      const walk: SealedWalk = { docs: state.postings.sealed.docs, impacts: lastImpacts, base, end };
      const rest = n >= 2 ? upTo[n - 2]! : 0;
      let p = from;
      while (p < end && firstEssential === n - 1) {
        p = walkSealed(walk, p, scoring[n - 1]!.weight, rest, theta, accept, probe, share, term[n - 1]!, top);
        if (top.length < k) continue;
        theta = top.floor;
        while (firstEssential < n && upTo[firstEssential]! < theta) firstEssential++;
      }
      last.jump(p);
      if (firstEssential === n) break;
    }
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

/** The sealed postings of the one essential list, with their cached impacts. */
interface SealedWalk {
  readonly docs: Uint32Array;
  readonly impacts: Float64Array;
  readonly base: number;
  readonly end: number;
}

/**
 * MaxScore's inner loop while one list is essential: from sealed index `from`, each document whose share
 * plus `rest` (the other terms' bounds) cannot reach θ is dropped before anything else is read, as `probe`
 * would drop it; the others are probed, summed in query order and offered, exactly as in the merge loop.
 * Returns the index after the first document offered to a full top k (θ may have risen), else the end.
 */
function walkSealed(
  walk: SealedWalk,
  from: number,
  weight: number,
  rest: number,
  theta: number,
  accept: (d: number) => boolean,
  probe: (d: number, partial: number, essentialFrom: number) => boolean,
  share: Float64Array,
  pos: number,
  top: TopK,
): number {
  const { docs, impacts, base, end } = walk;
  const n = share.length;
  for (let p = from; p < end; ) {
    const d = docs[p]!;
    const s = weight * impacts[p - base]!;
    p++;
    if ((n >= 2 && (s + rest) * SLACK < theta) || !accept(d)) continue;
    share[pos] = s;
    if (!probe(d, s, n - 1)) continue;
    let score = 0;
    let touched = false;
    for (let i = 0; i < n; i++) {
      const x = share[i]!;
      if (x !== 0) {
        score += x;
        touched = true;
      }
    }
    if (!touched || score < theta) continue;
    top.offer(d, score);
    if (top.length >= top.k) return p;
  }
  return end;
}
