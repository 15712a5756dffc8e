// Per-term score upper bounds for pruned top-k search, computed from the postings and kept until the index changes.
import { postingScore, type TermScoring } from './bm25f-scorer.ts';
import { forEachPosting, type IndexState } from './index-state.ts';

/**
 * Caches, for each term, the largest share any live document gets from it (for one query weight). A bound
 * depends on document statistics (idf, average field lengths), so any add, remove or compaction must call
 * `clear()`; the next query then pays one pass over its terms' postings.
 * @example const bounds = new TermBounds(); bounds.get(state, t, termScoring(state, t, 1))
 */
export class TermBounds {
  private readonly bounds = new Map<number, { weight: number; max: number }>();

  /** The exact maximum of `postingScore` over the term's live postings (0 for a term without any). */
  get(state: IndexState, term: number, scoring: TermScoring): number {
    const known = this.bounds.get(term);
    if (known !== undefined && known.weight === scoring.weight) return known.max;
    let max = 0;
    const lengths = state.docs.lengths;
    forEachPosting(state, term, (d, tf) => {
      const s = postingScore(scoring, lengths, d, tf);
      if (s > max) max = s;
    });
    this.bounds.set(term, { weight: scoring.weight, max });
    return max;
  }

  /** Forgets every bound; call on any change to the index. */
  clear(): void {
    this.bounds.clear();
  }
}
