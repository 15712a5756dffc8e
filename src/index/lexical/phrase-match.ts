// The documents holding a query's required phrases, for counting: postings intersected rarest word first,
// positions read only for papers that hold every word and may hold each word pair, around the word they hold least.
import type { IndexState } from './index-state.ts';
import { pairTests } from './pair-signatures.ts';
import { END_OF_POSTINGS, PostingCursor } from './posting-cursor.ts';
import { docsMatchingAnyWord, scoredFieldBits } from './word-match.ts';

/**
 * Calls `visit(d)`, in ascending doc order, for every live document that holds each of `phrases` (term ids
 * of required phrases, each non-empty; -1 for an unknown word) word for word within one field, has a word of
 * `words` (the query's scored terms) in a field weighted above 0, and passes `accept`: the documents search
 * lists for a query with these phrases, before its remaining `verify` test (excluded phrases).
 *
 * A search for one phrase would decode every paper holding any of its words; counting walks the rarest
 * word's postings, skips (galloping) through the others', and reads the term sequence of a paper only when
 * it holds every word and passes the cheap filters, stopping at the first occurrence.
 */
export function forEachPhraseMatch(
  state: IndexState,
  phrases: readonly (readonly number[])[],
  words: ReadonlySet<number>,
  accept: (d: number) => boolean,
  visit: (d: number) => void,
): void {
  const terms = [...new Set(phrases.flat())];
  if (terms.length === 0 || terms.includes(-1)) return;
  terms.sort((a, b) => PostingCursor.length(state, a) - PostingCursor.length(state, b));
  const cursors = terms.map((t) => new PostingCursor(state, t));
  const slot = new Map(terms.map((t, i) => [t, i]));
  // Multi-word phrases, each with the cursor of every word (a one-word phrase only needs the word).
  const checks = phrases
    .filter((p) => p.length > 1)
    .map((p) => ({
      ids: Int32Array.from(p),
      slots: Int32Array.from(p, (t) => slot.get(t) ?? 0),
      tfs: new Int32Array(p.length),
      pairs: pairTests(Int32Array.from(p)),
    }));
  const bits = scoredFieldBits(state.options);
  const scoredSlot = Uint8Array.from(terms, (t) => (words.has(t) ? 1 : 0));
  // Built only if some paper holds the phrases' words in fields weighted 0 alone (custom weights).
  let anyWord: Uint8Array | null = null;
  const { alive } = state.docs;
  const forward = state.forward;
  const n = cursors.length;

  const matches = (d: number): boolean => {
    let scored = false;
    for (let i = 0; i < n && !scored; i++)
      scored = scoredSlot[i] === 1 && ((cursors[i]?.tf ?? 0) & bits) !== 0;
    if (!scored) {
      if (anyWord === null) {
        anyWord = new Uint8Array(state.docs.count);
        const found = docsMatchingAnyWord(state, words);
        for (let i = 0; i < found.count; i++) anyWord[found.docs[i] ?? 0] = 1;
      }
      if (anyWord[d] !== 1) return false;
    }
    if (!accept(d)) return false;
    for (const { ids, slots, tfs, pairs } of checks) {
      if (!forward.pairs.mayHold(forward, d, pairs)) return false;
      for (let i = 0; i < slots.length; i++) tfs[i] = cursors[slots[i] ?? 0]?.tf ?? 0;
      if (!forward.holdsPhraseAround(d, ids, tfs)) return false;
    }
    return true;
  };

  const lead = cursors[0] as PostingCursor;
  let d = lead.doc;
  // Leapfrog: every other cursor moves to the lead's document; one that passes it moves the lead instead.
  seek: while (d !== END_OF_POSTINGS) {
    for (let i = 1; i < n; i++) {
      const c = cursors[i] as PostingCursor;
      c.advance(d);
      if (c.doc !== d) {
        lead.advance(c.doc);
        d = lead.doc;
        continue seek;
      }
    }
    if (alive[d] === 1 && matches(d)) visit(d);
    lead.next();
    d = lead.doc;
  }
}
