// Document sets as byte masks over dense doc numbers: which documents hold a term, all terms, a phrase.
import { FIELD_BREAK } from './forward-store.ts';
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
 * True when the decoded sequence holds `phrase` as consecutive terms within one field.
 * @example containsPhrase([4, 7, 9, -1], [7, 9]) // true
 */
export function containsPhrase(sequence: readonly number[], phrase: readonly number[]): boolean {
  const first = phrase[0];
  if (first === undefined) return true;
  const last = sequence.length - phrase.length;
  for (let i = 0; i <= last; i++) {
    if (sequence[i] !== first) continue;
    let j = 1;
    while (j < phrase.length && sequence[i + j] === phrase[j] && sequence[i + j] !== FIELD_BREAK) j++;
    if (j === phrase.length) return true;
  }
  return false;
}

/**
 * A checker that decodes a document and tests whether it holds all (or any) of the phrases.
 * @example const hasAll = phraseChecker(state, [[7, 9]], 'all'); hasAll(12)
 */
export function phraseChecker(
  state: IndexState,
  phrases: readonly (readonly number[])[],
  mode: 'all' | 'any',
): (d: number) => boolean {
  const scratch: number[] = [];
  return (d) => {
    const seq = state.forward.read(d, scratch);
    return mode === 'all'
      ? phrases.every((p) => containsPhrase(seq, p))
      : phrases.some((p) => containsPhrase(seq, p));
  };
}
