// Per-term score upper bounds and cached posting impacts for pruned top-k search, kept until the index changes.
import { unitPostingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';

/** Lists shorter than this are scored on the fly: caching them saves little. */
const IMPACT_MIN_POSTINGS = 512;
/** Cached impacts in all (8 bytes each, 16 MB): enough for the few hundred most queried long lists. */
const IMPACT_BUDGET = 2_000_000;

interface TermEntry {
  /** Largest unit score of a live posting; a bound is this times the query's term weight. */
  unitMax: number;
  /**
   * `unitPostingScore` of each sealed posting, in list order, NaN for one not scored yet; null for short
   * lists and until asked twice.
   */
  impacts: Float64Array | null;
}

/**
 * Caches, for each queried term, the largest share any live document gets from it and, for long lists,
 * every sealed posting's query-independent score ("impact"), so a search multiplies instead of
 * recomputing BM25F per posting. Both depend on document statistics (average field lengths), so any add,
 * remove or compaction must call `clear()`; the next query then pays one pass over its terms' postings.
 * Impacts are kept for the most recently used terms within a fixed budget.
 * @example const bounds = new TermBounds(); bounds.get(state, t, termScoring(state, t, 1))
 */
export class TermBounds {
  private readonly terms = new Map<number, TermEntry>();
  private cached = 0;

  /**
   * The exact maximum of `postingScore` over the term's live postings (0 for a term without any). Call it
   * once per search and term: the second search with a term also caches its impacts.
   */
  get(state: IndexState, term: number, scoring: TermScoring): number {
    // w · max(u) equals max(w · u): multiplying by a positive weight keeps the order of doubles.
    return scoring.weight * this.entry(state, term, scoring).unitMax;
  }

  /**
   * The term's cached sealed-posting impacts (list order; NaN where no search has scored the posting yet),
   * or null: for a short list, for a term searched only once so far (see `get`), and for one whose impacts
   * the budget dropped. PostingCursor fills them in as it scores.
   */
  impacts(term: number): Float64Array | null {
    return this.terms.get(term)?.impacts ?? null;
  }

  /** Forgets every bound and impact; call on any change to the index. */
  clear(): void {
    this.terms.clear();
    this.cached = 0;
  }

  private entry(state: IndexState, term: number, scoring: TermScoring): TermEntry {
    const known = this.terms.get(term);
    if (known !== undefined) {
      // Most recently used last, so the budget evicts the least recently used first.
      this.terms.delete(term);
      // A term's impacts are written when it is asked for again (also after the budget dropped them): most
      // words of a stream of distinct queries come once, and a list's impacts for one search cost more
      // than they save.
      const entry = known.impacts === null ? this.withImpacts(state, term, scoring, known) : known;
      this.terms.set(term, entry);
      return entry;
    }
    const { alive, lengths } = state.docs;
    let unitMax = 0;
    const block = state.postings.readBlocks(term);
    const { docs, tfs } = block;
    while (block.nextBlock())
      for (let i = 0, n = block.length; i < n; i++) {
        const d = docs[i] ?? 0;
        if (alive[d] !== 1) continue;
        const u = unitPostingScore(scoring, lengths, d, tfs[i] ?? 0);
        if (u > unitMax) unitMax = u;
      }
    const tail = state.postings.tail[term];
    if (tail !== undefined)
      for (let i = 0; i < tail.length; i += 2) {
        const d = tail[i] ?? 0;
        if (alive[d] !== 1) continue;
        const u = unitPostingScore(scoring, lengths, d, tail[i + 1] ?? 0);
        if (u > unitMax) unitMax = u;
      }
    const entry: TermEntry = { unitMax, impacts: null };
    this.terms.set(term, entry);
    return entry;
  }

  /** `known` with the impacts of the term's sealed postings, when the list is long enough to be worth it. */
  private withImpacts(state: IndexState, term: number, scoring: TermScoring, known: TermEntry): TermEntry {
    const length = state.postings.sealedLength(term);
    if (length < IMPACT_MIN_POSTINGS) return known;
    // Filled as cursors score the postings (see PostingCursor.score): a search that probes a few postings
    // of a long list pays for those, not for a pass over the whole list each time the budget let it go.
    const impacts = new Float64Array(length).fill(NaN);
    this.cached += impacts.length;
    // Over budget: the least recently used lists lose their impacts (their bounds stay).
    for (const [t, e] of this.terms) {
      if (this.cached <= IMPACT_BUDGET) break;
      if (e.impacts === null) continue;
      this.cached -= e.impacts.length;
      this.terms.set(t, { unitMax: e.unitMax, impacts: null });
    }
    return { unitMax: known.unitMax, impacts };
  }
}
