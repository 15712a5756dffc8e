// A forward-only cursor over one term's postings (sealed blocks, then tail) for document-at-a-time scoring.
import { postingScore, unitPostingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { BLOCK_POSTINGS } from './postings.ts';

/** The doc number of an exhausted cursor: above every real one. */
export const END_OF_POSTINGS = 0x7fffffff;

/** log2(BLOCK_POSTINGS): a posting's block within its term is its number shifted right by this. */
const BLOCK_SHIFT = Math.log2(BLOCK_POSTINGS);

/**
 * Walks a term's postings in ascending doc order, decoding the sealed stream (see postings.ts) one posting
 * at a time as it moves, so it never decodes more than it reads; `advance` skips whole blocks by their last
 * doc (galloping, then binary search) and decodes from the landing block's start up to the target, so a rare
 * term can probe a common term's long list cheaply. Dead documents are not skipped.
 * @example const c = new PostingCursor(state, t); while (c.doc !== END_OF_POSTINGS) { use(c.doc, c.tf); c.next(); }
 */
export class PostingCursor {
  /** Current document, or END_OF_POSTINGS. */
  doc = END_OF_POSTINGS;
  /** Packed field counts of the current posting. */
  tf = 0;
  private readonly data: Uint8Array;
  /** Where `data` starts in the term's sealed stream (its block starts are offsets in that stream). */
  private readonly base: number;
  private readonly lastDocs: Uint32Array;
  private readonly blockBytes: Uint32Array;
  /** The term's first block, and one past its last. */
  private readonly firstBlock: number;
  private readonly endBlock: number;
  /** The term's sealed postings. */
  private readonly count: number;
  /** Number (within the term) of the current sealed posting; `count` once the sealed postings are spent. */
  private p = -1;
  /** Byte of `data` where the posting after the current one starts. */
  private at = 0;
  /** The last decoded sealed doc, which the next gap is added to. */
  private last = 0;
  private readonly tail: number[] | undefined;
  /** Index into `tail` (even), used once the sealed postings are spent. */
  private ti = 0;

  /**
   * `impacts`, when given, holds `unitPostingScore` of each sealed posting of the term in list order, or
   * NaN for one not computed yet (see TermBounds), so `score` reads instead of recomputing.
   */
  constructor(
    state: IndexState,
    term: number,
    private readonly impacts: Float64Array | null = null,
  ) {
    const postings = state.postings;
    const { blocks, lastDocs, blockBytes } = postings.sealed;
    // The term's own bytes when its list was read from a snapshot file, else the whole in-memory stream.
    this.data = postings.listBytes(term);
    this.base = postings.listBase(term);
    this.lastDocs = lastDocs;
    this.blockBytes = blockBytes;
    const inSealed = term + 1 < blocks.length;
    this.firstBlock = inSealed ? (blocks[term] ?? 0) : 0;
    this.endBlock = inSealed ? (blocks[term + 1] ?? 0) : 0;
    this.count = postings.sealedLength(term);
    this.at = (blockBytes[this.firstBlock] ?? 0) - this.base;
    this.tail = state.postings.tail[term];
    this.next();
  }

  /** Number of postings (an upper bound on the documents the term can match). */
  static length(state: IndexState, term: number): number {
    return state.postings.sealedLength(term) + (state.postings.tail[term]?.length ?? 0) / 2;
  }

  /**
   * `postingScore` of the current posting (which must exist), from the cached impacts where there are some;
   * an impact not computed yet (NaN) is computed and kept. `ts` must be the term's scoring under the
   * statistics the impacts belong to (TermBounds drops them whenever the index changes).
   */
  score(ts: TermScoring, lengths: Uint16Array): number {
    const impacts = this.impacts;
    if (impacts !== null && this.p < this.count) {
      let u = impacts[this.p] as number;
      // NaN, the only value unequal to itself, marks an impact not computed yet.
      if (u !== u) u = impacts[this.p] = unitPostingScore(ts, lengths, this.doc, this.tf);
      return ts.weight * u;
    }
    return postingScore(ts, lengths, this.doc, this.tf);
  }

  /** Moves to the next posting. */
  next(): void {
    if (this.p < this.count) {
      if (++this.p < this.count) {
        this.decode();
        return;
      }
    } else this.ti += 2;
    this.loadTail();
  }

  /** Moves to the first posting whose doc is at least `target` (no move when already there). */
  advance(target: number): void {
    if (this.doc >= target) return;
    const count = this.count;
    if (this.p < count) {
      const lastDocs = this.lastDocs;
      const end = this.endBlock;
      if ((lastDocs[end - 1] ?? 0) < target) this.p = count;
      else {
        const block = this.firstBlock + (this.p >>> BLOCK_SHIFT);
        if ((lastDocs[block] ?? 0) < target) {
          // Gallop over the later blocks' last docs, then binary-search the last step: lo < target <= last[hi].
          let lo = block;
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
          // Restart decoding at block hi, whose first gap counts from the previous block's last doc.
          this.p = (hi - this.firstBlock) << BLOCK_SHIFT;
          this.at = (this.blockBytes[hi] ?? 0) - this.base;
          this.last = lastDocs[hi - 1] ?? 0;
          this.decode();
        }
        // The current block holds a doc >= target (its last one at least); bounded by the block's postings,
        // so a block that disagrees with its recorded last doc cannot run away.
        const stop = Math.min(count, ((this.p >>> BLOCK_SHIFT) + 1) << BLOCK_SHIFT) - 1;
        while (this.p < stop && this.doc < target) {
          this.p++;
          this.decode();
        }
        return;
      }
    }
    const tail = this.tail;
    if (tail !== undefined) while (this.ti < tail.length && (tail[this.ti] ?? 0) < target) this.ti += 2;
    this.loadTail();
  }

  /** Reads sealed posting `p` (the one after the last decoded) from the stream. */
  private decode(): void {
    const data = this.data;
    let at = this.at;
    // Most gaps and most tfs take one byte: that case stays one load and one test each.
    let b = data[at++] as number;
    let v = b & 127;
    for (let shift = 7; b > 127; shift += 7) {
      b = data[at++] as number;
      v |= (b & 127) << shift;
    }
    this.doc = this.last += v;
    b = data[at++] as number;
    v = b & 127;
    for (let shift = 7; b > 127; shift += 7) {
      b = data[at++] as number;
      v |= (b & 127) << shift;
    }
    this.tf = v;
    this.at = at;
  }

  private loadTail(): void {
    const tail = this.tail;
    if (tail !== undefined && this.ti < tail.length) {
      this.doc = tail[this.ti] ?? 0;
      this.tf = tail[this.ti + 1] ?? 0;
    } else this.doc = END_OF_POSTINGS;
  }
}
