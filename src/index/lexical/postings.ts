// Inverted lists: a compact sealed segment (CSR typed arrays) plus a small growable tail for new documents.
import type { LazyBytes } from '../snapshot-sections.ts';

/*
 * Layout. For term t, the sealed postings are positions offsets[t] .. offsets[t+1] of `docs` (ascending
 * dense doc numbers) and `tfs` (field term frequencies packed into 16 bits: title 4 bits, abstract 8 bits,
 * authors 4 bits). Documents added since the last seal sit in `tail[t]` as [doc, tf, doc, tf, ...]. Doc
 * numbers only grow, so tail entries always follow the sealed ones and a merge keeps lists sorted. Removed
 * documents stay in the lists until the next seal drops them; readers skip them via the alive table.
 */

/** Packs per-field counts into the 16-bit posting payload, saturating each field. */
export function packTf(title: number, abstract: number, authors: number): number {
  return Math.min(title, 15) | (Math.min(abstract, 255) << 4) | (Math.min(authors, 15) << 12);
}

export const tfTitle = (packed: number): number => packed & 15;
export const tfAbstract = (packed: number): number => (packed >>> 4) & 255;
export const tfAuthors = (packed: number): number => packed >>> 12;

/** The typed arrays of a sealed segment, as stored in a serialized index. */
export interface SealedPostings {
  offsets: Uint32Array;
  docs: Uint32Array;
  tfs: Uint16Array;
}

/** The tail merges into the sealed segment once it holds this many postings or a quarter of the sealed ones. */
const MIN_TAIL_TO_SEAL = 1 << 16;

/**
 * Postings for every term, appendable one document at a time.
 * @example const p = new PostingStore(); p.add(0, 7, packTf(1, 2, 0)); p.seal(null, null);
 */
export class PostingStore {
  sealed: SealedPostings = { offsets: new Uint32Array(1), docs: new Uint32Array(0), tfs: new Uint16Array(0) };
  /** Per term, postings added since the last seal, interleaved doc and packed tf. */
  tail: (number[] | undefined)[] = [];
  private tailCount = 0;
  /** While a loaded snapshot's lists are read on demand: `docs` and `tfs` fill as terms are first used. */
  private lazy: { docs: LazyBytes; tfs: LazyBytes } | null = null;

  /** Makes the sealed postings of `term` readable (a no-op unless loaded lazily); call before reading them. */
  ensure(term: number): void {
    const lazy = this.lazy;
    if (lazy === null) return;
    const { offsets } = this.sealed;
    if (term + 1 >= offsets.length) return;
    const from = offsets[term] ?? 0;
    const to = offsets[term + 1] ?? 0;
    lazy.docs.ensure(from * 4, to * 4);
    lazy.tfs.ensure(from * 2, to * 2);
    if (lazy.docs.complete && lazy.tfs.complete) this.lazy = null;
  }

  /** Reads up to `maxBytes` more of a lazily loaded snapshot's lists; true while some remain unread. */
  readAhead(maxBytes: number): boolean {
    const lazy = this.lazy;
    if (lazy === null) return false;
    const more = lazy.docs.readAhead(maxBytes) || lazy.tfs.readAhead(maxBytes);
    if (!more) this.lazy = null;
    return more;
  }

  /** Reads every list of a lazily loaded snapshot (before the arrays are rewritten). */
  ensureAll(): void {
    this.lazy?.docs.ensureAll();
    this.lazy?.tfs.ensureAll();
    this.lazy = null;
  }

  /** Number of terms the sealed segment covers (later terms have only tail postings). */
  get sealedTerms(): number {
    return this.sealed.offsets.length - 1;
  }

  add(term: number, doc: number, packedTf: number): void {
    const list = this.tail[term];
    if (list === undefined) this.tail[term] = [doc, packedTf];
    else list.push(doc, packedTf);
    this.tailCount++;
  }

  /** True when the tail is large enough that merging it pays off. */
  wantsSeal(): boolean {
    return this.tailCount >= Math.max(MIN_TAIL_TO_SEAL, this.sealed.docs.length >>> 2);
  }

  /**
   * Merges the tail into a fresh sealed segment, dropping postings of dead documents (`alive[d] === 0`)
   * and renumbering through `remap` (old → new, -1 for dropped) when given.
   */
  seal(alive: Uint8Array | null, remap: Int32Array | null, termCount = this.tail.length): void {
    this.ensureAll();
    const terms = Math.max(termCount, this.sealedTerms);
    const offsets = new Uint32Array(terms + 1);
    const keep = (d: number): boolean =>
      (alive === null || alive[d] === 1) && (remap === null || (remap[d] ?? -1) >= 0);
    let total = 0;
    for (let t = 0; t < terms; t++) {
      total += this.countKept(t, keep);
      offsets[t + 1] = total;
    }
    const docs = new Uint32Array(total);
    const tfs = new Uint16Array(total);
    let w = 0;
    for (let t = 0; t < terms; t++) w = this.copyKept(t, keep, remap, docs, tfs, w);
    this.sealed = { offsets, docs, tfs };
    this.tail = [];
    this.tailCount = 0;
  }

  private countKept(t: number, keep: (d: number) => boolean): number {
    let n = 0;
    const { offsets, docs } = this.sealed;
    if (t < this.sealedTerms)
      for (let p = offsets[t] ?? 0, e = offsets[t + 1] ?? 0; p < e; p++) if (keep(docs[p] ?? 0)) n++;
    const list = this.tail[t];
    if (list !== undefined) for (let i = 0; i < list.length; i += 2) if (keep(list[i] ?? 0)) n++;
    return n;
  }

  private copyKept(
    t: number,
    keep: (d: number) => boolean,
    remap: Int32Array | null,
    docs: Uint32Array,
    tfs: Uint16Array,
    w: number,
  ): number {
    const old = this.sealed;
    const put = (d: number, tf: number): void => {
      docs[w] = remap === null ? d : (remap[d] ?? 0);
      tfs[w++] = tf;
    };
    if (t < this.sealedTerms) {
      for (let p = old.offsets[t] ?? 0, e = old.offsets[t + 1] ?? 0; p < e; p++)
        if (keep(old.docs[p] ?? 0)) put(old.docs[p] ?? 0, old.tfs[p] ?? 0);
    }
    const list = this.tail[t];
    if (list !== undefined)
      for (let i = 0; i < list.length; i += 2) if (keep(list[i] ?? 0)) put(list[i] ?? 0, list[i + 1] ?? 0);
    return w;
  }

  /** Total postings held, sealed and tail (dead ones included until the next seal). */
  get size(): number {
    return this.sealed.docs.length + this.tailCount;
  }

  /** Replaces the contents with a loaded sealed segment, whose `docs` and `tfs` may fill on demand (`lazy`). */
  load(sealed: SealedPostings, lazy: { docs: LazyBytes; tfs: LazyBytes } | null = null): void {
    this.sealed = sealed;
    this.lazy = lazy;
    this.tail = [];
    this.tailCount = 0;
  }
}
