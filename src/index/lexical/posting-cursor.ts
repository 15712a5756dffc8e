// A forward-only cursor over one term's postings (sealed blocks, then tail) for document-at-a-time scoring.
import { postingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { BLOCK_POSTINGS, decodePostings, type SealedPostings } from './postings.ts';

/** The doc number of an exhausted cursor: above every real one. */
export const END_OF_POSTINGS = 0x7fffffff;

/**
 * Walks a term's postings in ascending doc order, decoding one sealed block (see postings.ts) at a time;
 * `advance` skips whole blocks by their last doc (galloping, then binary search), so a rare term can probe
 * a common term's long list cheaply. Dead documents are not skipped.
 * @example const c = new PostingCursor(state, t); while (c.doc !== END_OF_POSTINGS) { use(c.doc, c.tf); c.next(); }
 */
export class PostingCursor {
  /** Current document, or END_OF_POSTINGS. */
  doc = END_OF_POSTINGS;
  /** Packed field counts of the current posting. */
  tf = 0;
  private readonly sealed: SealedPostings;
  /** The term's first block, and one past its last. */
  private readonly firstBlock: number;
  private readonly endBlock: number;
  /** The term's sealed postings. */
  private readonly count: number;
  /** The decoded block, and the position in it; `block === endBlock` once the sealed postings are spent. */
  private block: number;
  private i = 0;
  private n = 0;
  private readonly docs = new Int32Array(BLOCK_POSTINGS);
  private readonly tfs = new Uint16Array(BLOCK_POSTINGS);
  private readonly tail: number[] | undefined;
  /** Index into `tail` (even), used once the sealed postings are spent. */
  private ti = 0;

  /**
   * `impacts`, when given, holds `unitPostingScore` of each sealed posting of the term in list order (see
   * TermBounds), so `score` reads instead of recomputing.
   */
  constructor(
    state: IndexState,
    term: number,
    private readonly impacts: Float64Array | null = null,
  ) {
    state.postings.ensure(term);
    this.sealed = state.postings.sealed;
    const { blocks } = this.sealed;
    const inSealed = term + 1 < blocks.length;
    this.firstBlock = inSealed ? (blocks[term] ?? 0) : 0;
    this.endBlock = inSealed ? (blocks[term + 1] ?? 0) : 0;
    this.count = state.postings.sealedLength(term);
    this.block = this.firstBlock;
    this.tail = state.postings.tail[term];
    if (this.block < this.endBlock) this.decode(this.block);
    this.load();
  }

  /** Number of postings (an upper bound on the documents the term can match). */
  static length(state: IndexState, term: number): number {
    return state.postings.sealedLength(term) + (state.postings.tail[term]?.length ?? 0) / 2;
  }

  /** `postingScore` of the current posting (which must exist), from the cached impacts where there are some. */
  score(ts: TermScoring, lengths: Uint16Array): number {
    const impacts = this.impacts;
    if (impacts !== null && this.block < this.endBlock)
      return ts.weight * (impacts[(this.block - this.firstBlock) * BLOCK_POSTINGS + this.i] ?? 0);
    return postingScore(ts, lengths, this.doc, this.tf);
  }

  /** Moves to the next posting. */
  next(): void {
    if (this.block < this.endBlock) {
      if (++this.i === this.n) {
        if (++this.block < this.endBlock) this.decode(this.block);
      }
    } else this.ti += 2;
    this.load();
  }

  /** Moves to the first posting whose doc is at least `target` (no move when already there). */
  advance(target: number): void {
    if (this.doc >= target) return;
    if (this.block < this.endBlock) {
      const lastDocs = this.sealed.lastDocs;
      const end = this.endBlock;
      if ((lastDocs[end - 1] ?? 0) < target) this.block = end;
      else {
        if ((lastDocs[this.block] ?? 0) < target) {
          // Gallop over the later blocks' last docs, then binary-search the last step: lo < target <= last[hi].
          let lo = this.block;
          let step = 1;
          let hi = lo + step;
          while (hi < end && (lastDocs[hi] ?? 0) < target) {
            lo = hi;
            step *= 2;
            hi = Math.min(lo + step, end - 1);
          }
          while (hi - lo > 1) {
            const mid = (lo + hi) >>> 1;
            if ((lastDocs[mid] ?? 0) < target) lo = mid;
            else hi = mid;
          }
          this.block = hi;
          this.decode(hi);
        }
        // The block holds a doc >= target (its last one at least).
        const docs = this.docs;
        let i = this.i;
        // Bounded by the block's postings, so a block that disagrees with its recorded last doc cannot run away.
        const last = this.n - 1;
        while (i < last && (docs[i] ?? 0) < target) i++;
        this.i = i;
        this.load();
        return;
      }
    }
    const tail = this.tail;
    if (tail !== undefined) while (this.ti < tail.length && (tail[this.ti] ?? 0) < target) this.ti += 2;
    this.load();
  }

  private decode(block: number): void {
    const { lastDocs, blockBytes, data } = this.sealed;
    const index = block - this.firstBlock;
    this.n = Math.min(BLOCK_POSTINGS, this.count - index * BLOCK_POSTINGS);
    this.i = 0;
    const prev = index === 0 ? 0 : (lastDocs[block - 1] ?? 0);
    decodePostings(data, blockBytes[block] ?? 0, this.n, prev, this.docs, this.tfs, 0);
  }

  private load(): void {
    if (this.block < this.endBlock) {
      this.doc = this.docs[this.i] ?? 0;
      this.tf = this.tfs[this.i] ?? 0;
    } else if (this.tail !== undefined && this.ti < this.tail.length) {
      this.doc = this.tail[this.ti] ?? 0;
      this.tf = this.tail[this.ti + 1] ?? 0;
    } else this.doc = END_OF_POSTINGS;
  }
}
