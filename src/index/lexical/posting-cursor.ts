// A forward-only cursor over one term's postings (sealed blocks, then tail) for document-at-a-time scoring.
import { postingScore, surelyBelow, unitPostingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';
import { BLOCK_POSTINGS } from './postings.ts';
import { BLOCK_MAX_STEPS } from './term-bounds.ts';

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
  /** A sealed block (numbered across terms) no later than the one holding the next `rangeBound`'s `from`. */
  private shallow = 0;
  /** Index into `tail` (even), used once the sealed postings are spent. */
  private ti = 0;

  /**
   * `impacts`, when given, holds `unitPostingScore` of each sealed posting of the term in list order, or
   * NaN for one not computed yet (see TermBounds), so `score` reads instead of recomputing. `blockMax`, when
   * given, holds each sealed block's quantised bound (TermBounds.blockMax, the term's first block at 0), read
   * by `blockBound`.
   */
  constructor(
    state: IndexState,
    term: number,
    private readonly impacts: Float64Array | null = null,
    readonly blockMax: Uint8Array | null = null,
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

  /**
   * Whether the current posting's unit score is surely below `unitNeed` (`frequencyNeed` is
   * `frequencyNeeded(ts.k1, unitNeed)`): read from the cached impacts where there are some, else tested
   * without computing the score (see `surelyBelow`). Never true for a posting that reaches `unitNeed`.
   */
  below(ts: TermScoring, lengths: Uint16Array, unitNeed: number, frequencyNeed: number): boolean {
    const impacts = this.impacts;
    if (impacts !== null && this.p < this.count) {
      let u = impacts[this.p] as number;
      if (u !== u) u = impacts[this.p] = unitPostingScore(ts, lengths, this.doc, this.tf);
      return u < unitNeed;
    }
    return surelyBelow(ts, lengths, this.doc, this.tf, frequencyNeed);
  }

  /**
   * The quantised bound (0..BLOCK_MAX_STEPS, in steps of the term's bound) of the block holding the current
   * posting: BLOCK_MAX_STEPS (the term's bound) in the tail or without block maxima, 0 once exhausted.
   */
  blockBound(): number {
    if (this.p < this.count)
      return this.blockMax === null
        ? BLOCK_MAX_STEPS
        : (this.blockMax[this.p >>> BLOCK_SHIFT] ?? BLOCK_MAX_STEPS);
    return this.doc === END_OF_POSTINGS ? 0 : BLOCK_MAX_STEPS;
  }

  /**
   * The last doc `blockBound` covers: the current sealed block's last doc; in the tail, every doc to the end
   * (END_OF_POSTINGS − 1); END_OF_POSTINGS once exhausted. Reads no posting.
   */
  blockEnd(): number {
    if (this.p < this.count) return this.lastDocs[this.firstBlock + (this.p >>> BLOCK_SHIFT)] ?? 0;
    return this.doc === END_OF_POSTINGS ? END_OF_POSTINGS : END_OF_POSTINGS - 1;
  }

  /**
   * The largest quantised block bound over the postings the list may hold from `from` to `to` (from ≤ to), read
   * from the block table without decoding: 0 when it holds none there (its current posting is past `to`, or
   * it has none left), BLOCK_MAX_STEPS where the tail or a list without block maxima could hold one. As a
   * MaxScore cursor is used: the list holds nothing between the docs it was moved past and its current
   * posting, and `from` never goes below an earlier call's.
   */
  rangeBound(from: number, to: number): number {
    const doc = this.doc;
    if (doc > to) return 0;
    if (this.p >= this.count) return BLOCK_MAX_STEPS;
    const blockMax = this.blockMax;
    if (blockMax === null) return BLOCK_MAX_STEPS;
    const start = doc > from ? doc : from;
    const lastDocs = this.lastDocs;
    const end = this.endBlock;
    const first = this.firstBlock;
    // Blocks before the current one end below `doc`, blocks before `shallow` below an earlier `from`.
    let b = first + (this.p >>> BLOCK_SHIFT);
    if (this.shallow > b) b = this.shallow;
    if ((lastDocs[b] ?? 0) < start) b = this.blockFor(b, start);
    if (b === end) return this.tailHolds(start, to) ? BLOCK_MAX_STEPS : 0;
    this.shallow = b;
    let q = 0;
    for (; b < end; b++) {
      const v = blockMax[b - first] ?? BLOCK_MAX_STEPS;
      if (v > q) q = v;
      if ((lastDocs[b] ?? 0) >= to) return q;
    }
    return this.tailHolds(start, to) ? BLOCK_MAX_STEPS : q;
  }

  /** The first sealed block after `from` (whose last doc is below `target`) ending at or after `target`, or endBlock. */
  private blockFor(from: number, target: number): number {
    const lastDocs = this.lastDocs;
    const end = this.endBlock;
    if ((lastDocs[end - 1] ?? 0) < target) return end;
    // Gallop, then binary-search the last step: lastDocs[lo] < target <= lastDocs[hi].
    let lo = from;
    let step = 1;
    let hi = Math.min(lo + step, end - 1);
    while ((lastDocs[hi] ?? 0) < target) {
      lo = hi;
      step *= 2;
      hi = Math.min(lo + step, end - 1);
    }
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((lastDocs[mid] ?? 0) < target) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** Whether the tail may hold a doc from `from` to `to` (tail docs all follow the sealed ones). */
  private tailHolds(from: number, to: number): boolean {
    const tail = this.tail;
    return (
      tail !== undefined && tail.length > 0 && (tail[0] ?? 0) <= to && (tail[tail.length - 2] ?? 0) >= from
    );
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
          const hi = this.blockFor(block, target);
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
