// Which documents a query's words match, without scoring them: counting (trends) needs the set, not the order.
import type { Bm25fOptions } from './bm25f-options.ts';
import type { IndexState } from './index-state.ts';

/**
 * The bits of a packed posting payload (see postings.ts) that belong to fields with a BM25F weight above 0.
 * A posting with none of them set scores exactly 0 (a category or link-kind posting, or a word seen only in
 * a field weighted 0), and search does not list a document on a score of 0, so neither does a match.
 * @example scoredFieldBits(DEFAULT_BM25F) // 0xffff
 */
export function scoredFieldBits(options: Bm25fOptions): number {
  const { title, abstract, authors } = options.fields;
  return (
    (title.weight > 0 ? 0x000f : 0) | (abstract.weight > 0 ? 0x0ff0 : 0) | (authors.weight > 0 ? 0xf000 : 0)
  );
}

/**
 * Live documents holding any of `terms` in a scored field: exactly the documents to which search's BM25F
 * gives a score above 0 for these terms, found by walking the postings once with no arithmetic. Returned
 * as a prefix of a fresh array (or of `scratch.docs`, when given one of the index's size), in first-seen order.
 * @example const { docs, count } = docsMatchingAnyWord(state, [3, 17]);
 */
export function docsMatchingAnyWord(
  state: IndexState,
  terms: Iterable<number>,
  scratch?: MatchScratch,
): { docs: Int32Array; count: number } {
  const { alive, count: docCount } = state.docs;
  const bits = scoredFieldBits(state.options);
  const reuse = scratch !== undefined && scratch.seen.length === docCount;
  const seen = reuse ? scratch.seen : new Uint8Array(docCount);
  const docs = reuse ? scratch.docs : new Int32Array(docCount);
  let n = 0;
  for (const term of terms) {
    const block = state.postings.readBlocks(term);
    const { docs: postDocs, tfs } = block;
    while (block.nextBlock())
      for (let p = 0, e = block.length; p < e; p++) {
        const d = postDocs[p] ?? 0;
        if (seen[d] === 0 && alive[d] === 1 && ((tfs[p] ?? 0) & bits) !== 0) {
          seen[d] = 1;
          docs[n++] = d;
        }
      }
    const tail = state.postings.tail[term];
    if (tail !== undefined)
      for (let i = 0; i < tail.length; i += 2) {
        const d = tail[i] ?? 0;
        if (seen[d] === 0 && alive[d] === 1 && ((tail[i + 1] ?? 0) & bits) !== 0) {
          seen[d] = 1;
          docs[n++] = d;
        }
      }
  }
  if (reuse) for (let i = 0; i < n; i++) seen[docs[i] ?? 0] = 0; // clean for the next query
  return { docs, count: n };
}

/**
 * Arrays `docsMatchingAnyWord` may reuse from one query to the next instead of allocating two per query
 * (600 KB at 75,000 papers); its result then lives in `docs` until the next call.
 */
export interface MatchScratch {
  readonly seen: Uint8Array;
  readonly docs: Int32Array;
}

/** Scratch for an index of `count` documents. */
export function matchScratch(count: number): MatchScratch {
  return { seen: new Uint8Array(count), docs: new Int32Array(count) };
}
