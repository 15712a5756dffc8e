// Document sets as byte masks over dense doc numbers: which documents hold a term, all terms, a phrase.
import { forEachPosting, type IndexState } from './index-state.ts';
import { tfAuthors } from './postings.ts';

/** 1 for each document in the set. Sized to the index's document count. */
export type DocMask = Uint8Array;

/**
 * Documents containing every term (in the authors field only, when `authorsOnly`). Unknown terms (-1)
 * give the empty set.
 */
export function docsWithAllTerms(state: IndexState, terms: readonly number[], authorsOnly: boolean): DocMask {
  const counts = new Uint8Array(state.docs.count);
  const distinct = [...new Set(terms)];
  if (distinct.length === 0 || distinct.includes(-1)) return counts;
  // Counting rounds: a doc reaches round i + 1 only if it held every earlier term.
  distinct.forEach((term, i) => {
    forEachPosting(state, term, (d, tf) => {
      if (counts[d] === i && (!authorsOnly || tfAuthors(tf) > 0)) counts[d] = i + 1;
    });
  });
  const n = distinct.length;
  for (let d = 0; d < counts.length; d++) counts[d] = counts[d] === n ? 1 : 0;
  return counts;
}

/**
 * Documents containing any of the terms; unknown terms (-1) are skipped.
 */
export function docsWithAnyTerm(state: IndexState, terms: readonly number[]): DocMask {
  const mask = new Uint8Array(state.docs.count);
  for (const term of terms) if (term >= 0) forEachPosting(state, term, (d) => (mask[d] = 1));
  return mask;
}

/** Sets `into[d] = 1` wherever `from[d] === 1`. */
export function unionInto(into: DocMask, from: DocMask): DocMask {
  for (let d = 0; d < into.length; d++) if (from[d] === 1) into[d] = 1;
  return into;
}

/** Clears `into[d]` wherever `from[d] !== 1`. */
export function intersectInto(into: DocMask, from: DocMask): DocMask {
  for (let d = 0; d < into.length; d++) if (from[d] !== 1) into[d] = 0;
  return into;
}

/**
 * A checker that tests whether a document holds all (or any) of the phrases, reading its term sequence only
 * up to a match.
 * @example const hasAll = phraseChecker(state, [[7, 9]], 'all'); hasAll(12)
 */
export function phraseChecker(
  state: IndexState,
  phrases: readonly (readonly number[])[],
  mode: 'all' | 'any',
): (d: number) => boolean {
  const packed = phrases.map((p) => Int32Array.from(p));
  const forward = state.forward;
  return (d) =>
    mode === 'all'
      ? packed.every((p) => forward.holdsPhrase(d, p))
      : packed.some((p) => forward.holdsPhrase(d, p));
}
