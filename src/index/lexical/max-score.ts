// Exact top-k by MaxScore: document-at-a-time over the query's postings, skipping documents that cannot win.
import { frequencyNeeded, NEED_MARGIN, termScoring, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { END_OF_POSTINGS, PostingCursor } from './posting-cursor.ts';
import type { SharedScores } from './shared-top.ts';
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
 * A document that only one walked list holds is tested from that posting before its score is computed: its
 * unit score must reach what θ leaves after the non-essential bounds (`PostingCursor.below`, no division for
 * most postings). One list left to walk (all of a one-word query; the end of many queries of common words, where
 * the strongest list is then walked whole; or the only essential list not yet exhausted) gets a loop of its own,
 * `walkLone`: the same decisions, without the per-list loops (docs/BENCHMARKS.md, "#23 the walked list tests a
 * posting before scoring it").
 *
 * Results equal exhaustive term-at-a-time scoring bit for bit: each posting's share is the same
 * `postingScore` (read as weight × cached impact for long lists, the same product), and a document's
 * shares are summed in query order starting from 0, as the accumulator does. Bounds are compared with a
 * relative slack (SLACK) so rounding can only make pruning more timid.
 */

const SLACK = 1 + 1e-9;

/** A walk sharing its scores with other threads reads their floor once every this many steps. */
const POLL_STEPS = 64;
/** -Infinity as a constant for `offer` (see shared-top.ts `NO_FLOOR`). */
const NO_FLOOR = Number.NEGATIVE_INFINITY;

/** One scored query term: its id and query weight, in query order. */
export interface QueryTerm {
  readonly term: number;
  readonly weight: number;
}

/**
 * One search's lists, by position m from the weakest bound to the strongest: term[m] is the query position of
 * the term there, cursor[m] and scoring[m] its cursor and constants, step[m] what one step of its block bounds
 * is worth, upTo[m] the summed bounds of positions 0..m. share holds the current document's share of each
 * term by query position. The current range of documents (see the header) has blockShare[m] bounding list m's
 * share there and blockUpTo[m] summing them as upTo does. unitNeed[m] is the unit score a posting of list m
 * needs when that list alone holds a document, frequencyNeed[m] the weighted frequency that gives it (see
 * `setNeeds`; -Infinity and 0, rejecting nothing, while θ is unknown).
 */
interface Lists {
  readonly n: number;
  readonly term: Int32Array;
  readonly cursor: readonly PostingCursor[];
  readonly scoring: readonly TermScoring[];
  readonly step: Float64Array;
  readonly upTo: Float64Array;
  /** Whether some list has block maxima: block tests run only then. */
  readonly blocky: boolean;
  readonly share: Float64Array;
  readonly blockShare: Float64Array;
  readonly blockUpTo: Float64Array;
  readonly unitNeed: Float64Array;
  readonly frequencyNeed: Float64Array;
  readonly lengths: Uint16Array;
  /** The first document past the searched span (END_OF_POSTINGS: to the end of the lists). */
  readonly spanEnd: number;
  /** The scores offered by every thread searching parts of the same search, or null (searched alone). */
  readonly shared: SharedScores | null;
}

/** Documents from..to−1: one part of a search cut in parts for two threads (lexical-index.ts `splitPlan`). */
export interface DocSpan {
  readonly from: number;
  readonly to: number;
}

/**
 * The k best documents passing `accept` for the summed BM25F scores of `terms`, as [doc, score] best first
 * (ties: lower doc first) — the same list as scoring every posting and keeping the k best. With `span`, only
 * documents in it are walked (spans' lists, merged, give the whole search's). With `floor` (a score some k
 * documents outside the span already reach), documents scoring below it may be left out: the walk starts with
 * θ = floor instead of learning it from its own first k. With `shared` (the other parts' threads' scores, see
 * shared-top.ts), every document offered is offered there too, and θ rises to its floor as the others find better
 * documents.
 */
export function maxScoreTop(
  state: IndexState,
  terms: readonly QueryTerm[],
  accept: (d: number) => boolean,
  k: number,
  bounds: TermBounds,
  useBlocks = true,
  span: DocSpan | null = null,
  floor = -Infinity,
  shared: SharedScores | null = null,
): [number, number][] {
  const n = terms.length;
  // The walk's arrays are typed arrays, or arrays of objects filled by push: their elements kind is the same
  // whichever tier built them (optimized code inlining `map` makes holey arrays where the interpreter makes
  // packed ones, and each new kind deoptimized the walk's functions compiled for the other).
  const scoringOf: TermScoring[] = [];
  const ub = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = terms[i]!;
    const ts = termScoring(state, t.term, t.weight);
    scoringOf.push(ts);
    ub[i] = bounds.get(state, t.term, ts);
  }
  const term = new Int32Array(n);
  for (let i = 0; i < n; i++) term[i] = i;
  term.sort((a, b) => ub[a]! - ub[b]! || a - b);
  const cursor: PostingCursor[] = [];
  const scoring: TermScoring[] = [];
  const step = new Float64Array(n);
  const upTo = new Float64Array(n);
  let sum = 0;
  for (let m = 0; m < n; m++) {
    const i = term[m]!;
    const t = terms[i]!.term;
    const c = new PostingCursor(state, t, bounds.impacts(t), useBlocks ? bounds.blockMax(t) : null);
    if (span !== null && span.from > 0) c.advance(span.from);
    cursor.push(c);
    scoring.push(scoringOf[i]!);
    // A block's bound is its quantised steps times the term's step.
    step[m] = blockStep(ub[i]!);
    upTo[m] = sum = (sum + ub[i]!) * SLACK;
  }
  const lists: Lists = {
    n,
    term,
    cursor,
    scoring,
    step,
    upTo,
    blocky: cursor.some((c) => c.blockMax !== null),
    share: new Float64Array(n),
    blockShare: new Float64Array(n),
    blockUpTo: new Float64Array(n),
    unitNeed: new Float64Array(n).fill(-Infinity),
    frequencyNeed: new Float64Array(n),
    lengths: state.docs.lengths,
    spanEnd: span === null ? END_OF_POSTINGS : Math.min(span.to, END_OF_POSTINGS),
    shared,
  };
  const top = new TopK(k);
  // A one-word query has one essential list from the start.
  if (n === 1) walkLone(lists, accept, top, floor, 0);
  else walkAll(lists, accept, top, floor);
  return top.drain();
}

/**
 * Walks the essential lists' documents while more than one list is essential, then hands over to `walkLone`
 * when one is left, offering every document that can reach θ to `top`.
 */
function walkAll(lists: Lists, accept: (d: number) => boolean, top: TopK, floor: number): void {
  const {
    n,
    term,
    cursor,
    scoring,
    upTo,
    blocky,
    share,
    blockShare,
    blockUpTo,
    unitNeed,
    frequencyNeed,
    lengths,
    spanEnd,
    shared,
  } = lists;
  // Offered documents reach the floor, so the top's own floor, once full, is at least as high.
  let theta = floor;
  let poll = POLL_STEPS;
  let firstEssential = 0;
  if (theta > -Infinity) {
    firstEssential = afterRise(lists, accept, top, theta, 0, -1);
    if (firstEssential < 0) return;
  }
  // The current range of documents: rangeEnd is its last (-1 before the first), rangeFrom the essential
  // lists' first position it was computed for, rangeSum all its block bounds.
  let rangeEnd = -1;
  let rangeFrom = -1;
  let rangeSum = 0;
  for (;;) {
    // θ as the other threads raised it: the same steps as after an offer (below).
    if (shared !== null && --poll === 0) {
      poll = POLL_STEPS;
      const f = shared.floor();
      if (f > theta) {
        theta = f;
        firstEssential = afterRise(lists, accept, top, theta, firstEssential, rangeFrom);
        if (firstEssential < 0) return;
      }
    }
    let d = END_OF_POSTINGS;
    // The essential lists not yet exhausted: how many, and the last one's position.
    let left = 0;
    let last = 0;
    // The one essential list holding d, or -1 when several do.
    let only = -1;
    for (let m = firstEssential; m < n; m++) {
      const doc = cursor[m]!.doc;
      // Past the span counts as exhausted (END_OF_POSTINGS is past every span).
      if (doc >= spanEnd) continue;
      left++;
      last = m;
      if (doc < d) {
        d = doc;
        only = m;
      } else if (doc === d) only = -1;
    }
    if (left <= 1) {
      // (Often a rare word's list spent early, the common word's still to walk.)
      if (left === 1) walkLone(lists, accept, top, theta, last);
      return;
    }
    // Block maxima apply once θ is known; `ranged` then says the range's bounds hold for d.
    const ranged = blocky && theta > -Infinity;
    if (ranged) {
      if (d > rangeEnd || rangeFrom !== firstEssential) {
        rangeEnd = startRange(lists, d, firstEssential);
        rangeSum = blockUpTo[n - 1]!;
        rangeFrom = firstEssential;
        setNeeds(lists, firstEssential, theta, blockUpTo);
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
    if (only >= 0) {
      // d's score is at most its share of list `only` plus the non-essential bounds: most such documents are
      // rejected from that one posting, before its score is computed (see walkLone).
      const c = cursor[only]!;
      if (c.below(scoring[only]!, lengths, unitNeed[only]!, frequencyNeed[only]!)) {
        c.next();
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
    if (!wanted || !probe(lists, d, partial, firstEssential, ranged ? blockUpTo : upTo, theta)) continue;
    const score = shareSum(share);
    if (!(score >= theta)) continue;
    const raised = offer(top, shared, d, score);
    if (!(raised > theta)) continue;
    theta = raised;
    firstEssential = afterRise(lists, accept, top, theta, firstEssential, rangeFrom);
    if (firstEssential < 0) return;
  }
}

/**
 * `walkAll`'s steps once θ has risen (its floor, another thread's, or an offer's): the lists from `firstEssential`
 * that θ leaves essential, and their needs (in the range computed for `rangeFrom`, its block bounds hold until it
 * ends; a new one sets the needs again). Returns the first essential list, or -1 when the walk is over: one list
 * left (walked alone here, `walkLone`) or none.
 */
function afterRise(
  lists: Lists,
  accept: (d: number) => boolean,
  top: TopK,
  theta: number,
  firstEssential: number,
  rangeFrom: number,
): number {
  const { n, upTo, blocky, blockUpTo } = lists;
  while (firstEssential < n && upTo[firstEssential]! < theta) firstEssential++;
  if (firstEssential === n - 1) walkLone(lists, accept, top, theta, n - 1);
  if (firstEssential >= n - 1) return -1;
  setNeeds(lists, firstEssential, theta, blocky && rangeFrom === firstEssential ? blockUpTo : upTo);
  return firstEssential;
}

/**
 * The rest of the walk once one list is left to walk, at position `m`: the only essential one (the strongest;
 * the last phase of many queries of common words, and all of a one-word one), or the only essential one not
 * yet exhausted. From θ = `theta`, `walkAll`'s decisions for each of its documents, in the same order, without
 * the loops over essential lists, and most postings rejected before their score is computed (see
 * `PostingCursor.below`): a posting that cannot reach θ costs its decoding and a test.
 */
function walkLone(lists: Lists, accept: (d: number) => boolean, top: TopK, theta: number, m: number): void {
  const {
    term,
    cursor,
    scoring,
    upTo,
    blocky,
    share,
    blockUpTo,
    unitNeed,
    frequencyNeed,
    lengths,
    spanEnd,
    shared,
  } = lists;
  const c = cursor[m]!;
  const ts = scoring[m]!;
  const at = term[m]!;
  // Once even the strongest list cannot lift a document to θ, none can enter.
  if (upTo[m]! < theta) return;
  // The exhausted lists above m score nothing; those below are probed.
  share.fill(0);
  let rangeEnd = -1;
  let rangeSum = 0;
  // What the other lists can add at most: their terms' bounds, until a range gives its block bounds.
  setNeeds(lists, m, theta, upTo);
  let poll = POLL_STEPS;
  for (let d = c.doc; d < spanEnd; d = c.doc) {
    // θ as the other threads raised it: the same steps as after an offer (below).
    if (shared !== null && --poll === 0) {
      poll = POLL_STEPS;
      const f = shared.floor();
      if (f > theta) {
        theta = f;
        if (upTo[m]! < theta) return;
        setNeeds(lists, m, theta, blocky && rangeEnd >= 0 ? blockUpTo : upTo);
      }
    }
    const ranged = blocky && theta > -Infinity;
    if (ranged) {
      if (d > rangeEnd) {
        rangeEnd = startRange(lists, d, m);
        rangeSum = blockUpTo[m]!;
        setNeeds(lists, m, theta, blockUpTo);
      }
      if (rangeSum * SLACK < theta) {
        c.advance(rangeEnd + 1);
        rangeEnd = -1;
        continue;
      }
    }
    // Most postings fail here, before their score is computed: probe's first test, in unit scores.
    if (c.below(ts, lengths, unitNeed[m]!, frequencyNeed[m]!) || !accept(d)) {
      c.next();
      continue;
    }
    const s = c.score(ts, lengths);
    c.next();
    share[at] = s;
    if (!probe(lists, d, s, m, ranged ? blockUpTo : upTo, theta)) continue;
    const score = shareSum(share);
    if (!(score >= theta)) continue;
    const raised = offer(top, shared, d, score);
    if (!(raised > theta)) continue;
    theta = raised;
    // Once even the strongest list cannot lift a document to θ, none can enter.
    if (upTo[m]! < theta) return;
    // In a range, its block bounds hold until it ends (a new one sets the needs again).
    setNeeds(lists, m, theta, blocky && rangeEnd >= 0 ? blockUpTo : upTo);
  }
}

/**
 * Offers `d` to this walk's top (and its score to the shared one): the θ a document must now reach, the higher of
 * the two floors (-Infinity while neither holds k).
 */
function offer(top: TopK, shared: SharedScores | null, d: number, score: number): number {
  top.offer(d, score);
  const own = top.length < top.k ? NO_FLOOR : top.floor;
  if (shared === null) return own;
  const theirs = shared.offer(score);
  return theirs > own ? theirs : own;
}

/**
 * Sets, for each essential list (positions from `from`), the unit score a posting needs to lift a document that
 * list alone holds to θ when the non-essential lists add at most `bound[from - 1]` (see `unitNeeded`), and the
 * weighted frequency that gives it, for `PostingCursor.below`.
 */
function setNeeds(lists: Lists, from: number, theta: number, bound: Float64Array): void {
  const { n, scoring, unitNeed, frequencyNeed } = lists;
  const others = from > 0 ? bound[from - 1]! : 0;
  for (let m = from; m < n; m++) {
    const ts = scoring[m]!;
    frequencyNeed[m] = frequencyNeeded(ts.k1, (unitNeed[m] = unitNeeded(ts, theta, others)));
  }
}

/**
 * The unit score below which a posting of the term scored by `ts` cannot lift a document to θ when the other
 * lists add at most `others`: its share plus others, times SLACK, stays under θ (probe's first test), less a
 * margin; -Infinity when θ is unknown or the weight not positive (no posting is rejected).
 */
function unitNeeded(ts: TermScoring, theta: number, others: number): number {
  return ts.weight > 0 && theta > -Infinity
    ? ((theta / SLACK - others) / ts.weight) * NEED_MARGIN
    : -Infinity;
}

/**
 * Starts a range of documents at `d`: to the first end of the essential lists' (positions from
 * `firstEssential`) current blocks. Fills blockShare (each essential list bounded by its current block, each
 * non-essential one by its blocks over the range) and blockUpTo (their sums up to each position: the last is
 * the whole range's bound); returns the range's last document.
 */
function startRange(lists: Lists, d: number, firstEssential: number): number {
  const { n, cursor, step, blockShare, blockUpTo } = lists;
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
  for (let m = firstEssential; m < n; m++) blockUpTo[m] = sum += blockShare[m]!;
  return end;
}

/**
 * Adds the non-essential shares of `d` (positions below `essentialFrom`), strongest first, to its essential
 * ones' `partial`; false as soon as `d` cannot reach θ. `bound`: the lists' summed bounds (upTo, or the
 * current range's blockUpTo where those hold for d).
 */
function probe(
  lists: Lists,
  d: number,
  partial: number,
  essentialFrom: number,
  bound: Float64Array,
  theta: number,
): boolean {
  const { term, cursor, scoring, share, lengths } = lists;
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

/**
 * A document's score: its shares summed in query order from 0 (as the exhaustive accumulator adds them), or
 * NaN, which reaches no θ, when every share is 0 (no scored field holds a query term: never listed).
 */
function shareSum(share: Float64Array): number {
  let score = 0;
  let touched = false;
  for (let i = 0; i < share.length; i++) {
    const s = share[i]!;
    if (s !== 0) {
      score += s;
      touched = true;
    }
  }
  return touched ? score : NaN;
}
