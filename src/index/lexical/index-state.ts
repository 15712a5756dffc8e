// The data the lexical index is made of, shared by its scorer, filters and codec (not exported from the index).
import type { Bm25fOptions } from './bm25f-options.ts';
import { DocTable } from './doc-table.ts';
import { ForwardStore } from './forward-store.ts';
import { BlockReader, PostingStore } from './postings.ts';
import { StringTable } from '../string-table.ts';

/** Prefix of the vocabulary entries that hold category memberships (never scored, never typed by users). */
export const CATEGORY_PREFIX = '\u0001';

/**
 * The vocabulary entry of a category: prefixed, lower-case, whitespace collapsed (some records carry
 * free-text "categories" with newlines, which the snapshot's newline-joined vocabulary cannot hold).
 * @example categoryTerm('cs.CL') // '\u0001cs.cl'
 */
export function categoryTerm(category: string): string {
  return CATEGORY_PREFIX + category.toLowerCase().replace(/\s+/g, ' ').trim();
}

/**
 * The vocabulary entry of a link kind a paper has ("has:code"): a category-like term that no `cat:` can name,
 * since categories never hold ":".
 * @example featureTerm('code') // '\u0001has:code'
 */
export function featureTerm(kind: string): string {
  return categoryTerm(`has:${kind}`);
}

/**
 * Everything an index holds. Terms are numbered densely in first-seen order; `df[t]` counts live documents
 * containing scored term t in any field.
 */
export interface IndexState {
  options: Bm25fOptions;
  docs: DocTable;
  postings: PostingStore;
  forward: ForwardStore;
  /** The vocabulary: term ids by term and back. */
  terms: StringTable;
  df: Uint32Array;
  /**
   * Each term's largest unit score as the snapshot was saved (see term-bounds.ts), valid while its sealed lists
   * are the ones searched: papers added or removed since leave them bounds once scaled to the new averages and
   * raised to the tail's postings (`TermBounds`); null when unknown (an older snapshot, or after a seal or
   * compaction rewrote the lists).
   */
  storedBounds: StoredBounds | null;
}

/**
 * Per-term bounds (`unitMax[t]`), per sealed block bounds (`blockMax[b]`, blocks numbered as the sealed
 * segment's `lastDocs`) and the scoring constants (`scoringKey`) they were computed under.
 */
export interface StoredBounds {
  readonly unitMax: Float64Array;
  /**
   * Each sealed block's largest live unit score in 255ths of its term's `unitMax`, rounded up (see
   * `quantiseBlockMax` in term-bounds.ts); null when the snapshot has none (format 4).
   */
  readonly blockMax: Uint8Array | null;
  readonly key: readonly number[];
}

/**
 * An empty state with the given options.
 */
export function emptyState(options: Bm25fOptions): IndexState {
  return {
    options,
    docs: new DocTable(),
    postings: new PostingStore(),
    forward: new ForwardStore(),
    terms: new StringTable(),
    df: new Uint32Array(1024),
    storedBounds: null,
  };
}

/**
 * The id of `term`, numbering it when new.
 */
export function internTerm(state: IndexState, term: string): number {
  const known = state.terms.get(term);
  if (known !== undefined) return known;
  const id = state.terms.add(term);
  if (id >= state.df.length) {
    const df = new Uint32Array(Math.max(1024, state.df.length * 2));
    df.set(state.df);
    state.df = df;
  }
  return id;
}

/**
 * Visits every live posting of `term`: sealed segment first, then the tail, in ascending doc order.
 */
export function forEachPosting(
  state: IndexState,
  term: number,
  visit: (doc: number, packedTf: number) => void,
): void {
  // A reader of its own, not the store's shared one, so `visit` may read other lists meanwhile.
  const block = new BlockReader().start(state.postings, term);
  const { docs, tfs } = block;
  const alive = state.docs.alive;
  while (block.nextBlock())
    for (let p = 0, n = block.length; p < n; p++) {
      const d = docs[p] ?? 0;
      if (alive[d] === 1) visit(d, tfs[p] ?? 0);
    }
  const list = state.postings.tail[term];
  if (list === undefined) return;
  for (let i = 0; i < list.length; i += 2) {
    const d = list[i] ?? 0;
    if (alive[d] === 1) visit(d, list[i + 1] ?? 0);
  }
}
