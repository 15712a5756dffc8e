// A forward-only cursor over one term's postings (sealed segment, then tail) for document-at-a-time scoring.
import { postingScore, type TermScoring } from './bm25f-scorer.ts';
import type { IndexState } from './index-state.ts';

/** The doc number of an exhausted cursor: above every real one. */
export const END_OF_POSTINGS = 0x7fffffff;

/**
 * Walks a term's postings in ascending doc order; `advance` skips ahead by galloping search in the sealed
 * segment, so a rare term can probe a common term's long list cheaply. Dead documents are not skipped.
 * @example const c = new PostingCursor(state, t); while (c.doc !== END_OF_POSTINGS) { use(c.doc, c.tf); c.next(); }
 */
export class PostingCursor {
  /** Current document, or END_OF_POSTINGS. */
  doc = END_OF_POSTINGS;
  /** Packed field counts of the current posting. */
  tf = 0;
  private p: number;
  private readonly start: number;
  private readonly end: number;
  private readonly docs: Uint32Array;
  private readonly tfs: Uint16Array;
  private readonly tail: number[] | undefined;
  /** Index into `tail` (even), used once the sealed range is spent. */
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
    const { offsets, docs, tfs } = state.postings.sealed;
    this.docs = docs;
    this.tfs = tfs;
    const sealed = term + 1 < offsets.length;
    this.p = sealed ? (offsets[term] ?? 0) : 0;
    this.start = this.p;
    this.end = sealed ? (offsets[term + 1] ?? 0) : 0;
    this.tail = state.postings.tail[term];
    this.load();
  }

  /** Number of postings (an upper bound on the documents the term can match). */
  static length(state: IndexState, term: number): number {
    const { offsets } = state.postings.sealed;
    const sealed = term + 1 < offsets.length ? (offsets[term + 1] ?? 0) - (offsets[term] ?? 0) : 0;
    return sealed + (state.postings.tail[term]?.length ?? 0) / 2;
  }

  /** `postingScore` of the current posting (which must exist), from the cached impacts where there are some. */
  score(ts: TermScoring, lengths: Uint16Array): number {
    const impacts = this.impacts;
    if (impacts !== null && this.p < this.end) return ts.weight * (impacts[this.p - this.start] ?? 0);
    return postingScore(ts, lengths, this.doc, this.tf);
  }

  /** Moves to the next posting. */
  next(): void {
    if (this.p < this.end) this.p++;
    else this.ti += 2;
    this.load();
  }

  /** Moves to the first posting whose doc is at least `target` (no move when already there). */
  advance(target: number): void {
    if (this.doc >= target) return;
    if (this.p < this.end) {
      const docs = this.docs;
      if ((docs[this.end - 1] ?? 0) < target) this.p = this.end;
      else {
        // Gallop from p, then binary-search the last step: lo < target <= docs[hi].
        let lo = this.p;
        let step = 1;
        let hi = lo + step;
        while (hi < this.end && (docs[hi] ?? 0) < target) {
          lo = hi;
          step *= 2;
          hi = Math.min(lo + step, this.end - 1);
        }
        while (hi - lo > 1) {
          const mid = (lo + hi) >>> 1;
          if ((docs[mid] ?? 0) < target) lo = mid;
          else hi = mid;
        }
        this.p = hi;
        this.load();
        return;
      }
    }
    const tail = this.tail;
    if (tail !== undefined) while (this.ti < tail.length && (tail[this.ti] ?? 0) < target) this.ti += 2;
    this.load();
  }

  private load(): void {
    if (this.p < this.end) {
      this.doc = this.docs[this.p] ?? 0;
      this.tf = this.tfs[this.p] ?? 0;
    } else if (this.tail !== undefined && this.ti < this.tail.length) {
      this.doc = this.tail[this.ti] ?? 0;
      this.tf = this.tail[this.ti + 1] ?? 0;
    } else this.doc = END_OF_POSTINGS;
  }
}
