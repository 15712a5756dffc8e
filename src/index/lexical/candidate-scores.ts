// Exact BM25F scores of a few given documents, by seeking each query term's postings to them only.
import { termScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import type { QueryTerm } from './max-score.ts';
import { PostingCursor } from './posting-cursor.ts';

/**
 * The summed BM25F scores of `terms` for each of `docs` (ascending document numbers, no repeats), in the
 * order of `docs`. Each term's list is walked forward only to those documents (`PostingCursor.advance`: whole
 * blocks skipped by their last doc), so the cost grows with the candidates and the blocks they land in, not
 * with the lists' lengths. Shares are the same `postingScore` products, summed in query order from 0, as
 * term-at-a-time scoring and MaxScore sum them: the scores equal `search`'s bit for bit.
 * @example scoreDocs(state, [{ term: 7, weight: 1 }], Int32Array.of(3, 90)) // Float64Array [1.2, 0]
 */
export function scoreDocs(state: IndexState, terms: readonly QueryTerm[], docs: Int32Array): Float64Array {
  const scores = new Float64Array(docs.length);
  if (docs.length === 0) return scores;
  const lengths = state.docs.lengths;
  for (const { term, weight } of terms) {
    const ts = termScoring(state, term, weight);
    // No cached impacts: a few hundred postings are scored, where caching a list's would cost all of it.
    const cursor = new PostingCursor(state, term);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i] as number;
      cursor.advance(d);
      if (cursor.doc !== d) continue;
      const s = cursor.score(ts, lengths);
      if (s !== 0) scores[i] = (scores[i] as number) + s;
    }
  }
  return scores;
}
