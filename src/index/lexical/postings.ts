// Inverted lists: a compressed sealed segment (delta-coded blocks of 128 postings) plus a small growable tail.
import type { LazyBytes } from '../snapshot-sections.ts';

/*
 * Layout. For term t, the sealed postings are numbers offsets[t] .. offsets[t+1] (ascending dense doc
 * numbers, each with its field term frequencies packed into 16 bits: title 4 bits, abstract 8 bits, authors
 * 4 bits). They are stored in `data` as one stream per term of (doc − previous doc, packed tf) pairs, each a
 * variable-byte number (7 bits a byte, low bits first; the first doc of a term is taken from 0), cut into
 * blocks of BLOCK_POSTINGS postings. Blocks are numbered across terms: term t owns blocks blocks[t] ..
 * blocks[t+1]; block b starts at byte blockBytes[b] and its last doc is lastDocs[b], so a cursor skips whole
 * blocks by their last doc and starts decoding a block from the previous block's last doc. A posting costs
 * about 2 bytes instead of 6 (4 for the doc, 2 for the tf), and a block 8 bytes more.
 *
 * Documents added since the last seal sit in `tail[t]` as [doc, tf, doc, tf, ...]. Doc numbers only grow,
 * so tail entries always follow the sealed ones and a merge keeps lists sorted. Removed documents stay in
 * the lists until the next seal drops them; readers skip them via the alive table.
 */

/** Postings per sealed block (the last block of a term may hold fewer). */
export const BLOCK_POSTINGS = 128;

/** Packs per-field counts into the 16-bit posting payload, saturating each field. */
export function packTf(title: number, abstract: number, authors: number): number {
  return Math.min(title, 15) | (Math.min(abstract, 255) << 4) | (Math.min(authors, 15) << 12);
}

export const tfTitle = (packed: number): number => packed & 15;
export const tfAbstract = (packed: number): number => (packed >>> 4) & 255;
export const tfAuthors = (packed: number): number => packed >>> 12;

/** The arrays of a sealed segment, as stored in a serialized index (see the layout above). */
export interface SealedPostings {
  /** Terms + 1: where each term's postings start in posting numbers (so offsets[t+1] − offsets[t] is its count). */
  offsets: Uint32Array;
  /** Terms + 1: each term's first block. */
  blocks: Uint32Array;
  /** Per block: its last doc. */
  lastDocs: Uint32Array;
  /** Blocks + 1: where each block starts in `data`. */
  blockBytes: Uint32Array;
  /** The encoded postings. */
  data: Uint8Array;
}

/** A decoded list: `docs` and `tfs` hold `length` postings (the arrays may be longer). */
export interface DecodedList {
  docs: Int32Array;
  tfs: Uint16Array;
  length: number;
}

/**
 * Decodes `count` postings starting at byte `at` of `data`, the first doc relative to `prev`, into
 * `docs`/`tfs` from index `out`. Returns the byte after the last posting.
 */
export function decodePostings(
  data: Uint8Array,
  at: number,
  count: number,
  prev: number,
  docs: Int32Array,
  tfs: Uint16Array,
  out: number,
): number {
  let p = at;
  let d = prev;
  for (let i = out, end = out + count; i < end; i++) {
    // Most gaps and most tfs take one byte: that case stays one load and one test.
    let b = data[p++] as number;
    let v = b & 127;
    for (let shift = 7; b > 127; shift += 7) {
      b = data[p++] as number;
      v |= (b & 127) << shift;
    }
    d += v;
    docs[i] = d;
    b = data[p++] as number;
    v = b & 127;
    for (let shift = 7; b > 127; shift += 7) {
      b = data[p++] as number;
      v |= (b & 127) << shift;
    }
    tfs[i] = v;
  }
  return p;
}

/**
 * Reads one term's sealed postings a block at a time into a 128-posting buffer it reuses, so a pass over a
 * long list stays in the first-level cache and needs no list-sized buffer.
 * @example const r = new BlockReader().start(store, t); while (r.nextBlock()) for (let i = 0; i < r.length; i++) use(r.docs[i], r.tfs[i]);
 */
export class BlockReader {
  /** The current block: `length` postings. */
  readonly docs = new Int32Array(BLOCK_POSTINGS);
  readonly tfs = new Uint16Array(BLOCK_POSTINGS);
  length = 0;
  private data: Uint8Array = new Uint8Array(0);
  private at = 0;
  private left = 0;
  private last = 0;

  /** Positions the reader before the first block of `term`'s sealed postings (none for an unsealed term). */
  start(store: PostingStore, term: number): this {
    store.ensure(term);
    const { blocks, blockBytes, data } = store.sealed;
    this.data = data;
    this.left = store.sealedLength(term);
    this.at = term + 1 < blocks.length ? (blockBytes[blocks[term] ?? 0] ?? 0) : 0;
    this.last = 0;
    this.length = 0;
    return this;
  }

  /** Decodes the next block into `docs`/`tfs`; false (and `length` 0) once the term's postings are spent. */
  nextBlock(): boolean {
    const n = Math.min(this.left, BLOCK_POSTINGS);
    this.length = n;
    if (n === 0) return false;
    this.at = decodePostings(this.data, this.at, n, this.last, this.docs, this.tfs, 0);
    this.last = this.docs[n - 1] ?? 0;
    this.left -= n;
    return true;
  }
}

/** Builds a sealed segment term by term: `push` each posting of a term in doc order, then `endTerm`. */
export class SealedWriter {
  private readonly offsets: Uint32Array;
  private readonly blocks: Uint32Array;
  private lastDocs = new Uint32Array(1024);
  private blockBytes = new Uint32Array(1025);
  private data = new Uint8Array(1 << 16);
  private term = 0;
  private total = 0;
  private blockCount = 0;
  private bytes = 0;
  private inBlock = 0;
  private last = 0;

  constructor(terms: number) {
    this.offsets = new Uint32Array(terms + 1);
    this.blocks = new Uint32Array(terms + 1);
  }

  push(doc: number, tf: number): void {
    if (this.inBlock === 0) {
      // The block about to open needs a slot in lastDocs (blockCount) and its end in blockBytes (blockCount + 1).
      if (this.blockCount >= this.lastDocs.length) this.growBlocks();
      this.blockBytes[this.blockCount] = this.bytes;
    }
    if (this.bytes + 10 > this.data.length) {
      const next = new Uint8Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.bytes = writeVarint(this.data, writeVarint(this.data, this.bytes, doc - this.last), tf);
    this.last = doc;
    this.total++;
    if (++this.inBlock === BLOCK_POSTINGS) this.closeBlock();
  }

  endTerm(): void {
    if (this.inBlock > 0) this.closeBlock();
    this.term++;
    this.offsets[this.term] = this.total;
    this.blocks[this.term] = this.blockCount;
    this.last = 0;
  }

  /** The segment, once `endTerm` has been called once per term. */
  finish(): SealedPostings {
    if (this.term !== this.offsets.length - 1) throw new RangeError('SealedWriter: terms left unwritten');
    this.blockBytes[this.blockCount] = this.bytes;
    return {
      offsets: this.offsets,
      blocks: this.blocks,
      lastDocs: this.lastDocs.slice(0, this.blockCount),
      blockBytes: this.blockBytes.slice(0, this.blockCount + 1),
      data: this.data.slice(0, this.bytes),
    };
  }

  private closeBlock(): void {
    this.lastDocs[this.blockCount++] = this.last;
    this.inBlock = 0;
  }

  private growBlocks(): void {
    const lastDocs = new Uint32Array(this.lastDocs.length * 2);
    lastDocs.set(this.lastDocs);
    this.lastDocs = lastDocs;
    const blockBytes = new Uint32Array(lastDocs.length + 1);
    blockBytes.set(this.blockBytes);
    this.blockBytes = blockBytes;
  }
}

function writeVarint(out: Uint8Array, at: number, value: number): number {
  let v = value;
  let p = at;
  while (v > 127) {
    out[p++] = (v & 127) | 128;
    v >>>= 7;
  }
  out[p++] = v;
  return p;
}

/**
 * Compresses uncompressed lists (the layout of snapshot formats 1 and 2: `docs` and `tfs` indexed by
 * posting number through `offsets`) into a sealed segment.
 */
export function compressLists(offsets: Uint32Array, docs: Uint32Array, tfs: Uint16Array): SealedPostings {
  const terms = offsets.length - 1;
  const w = new SealedWriter(terms);
  for (let t = 0; t < terms; t++) {
    for (let p = offsets[t] ?? 0, e = offsets[t + 1] ?? 0; p < e; p++) w.push(docs[p] ?? 0, tfs[p] ?? 0);
    w.endTerm();
  }
  return w.finish();
}

const emptySealed = (): SealedPostings => ({
  offsets: new Uint32Array(1),
  blocks: new Uint32Array(1),
  lastDocs: new Uint32Array(0),
  blockBytes: new Uint32Array(1),
  data: new Uint8Array(0),
});

/** The tail merges into the sealed segment once it holds this many postings or a quarter of the sealed ones. */
const MIN_TAIL_TO_SEAL = 1 << 16;

/**
 * Postings for every term, appendable one document at a time.
 * @example const p = new PostingStore(); p.add(0, 7, packTf(1, 2, 0)); p.seal(null, null);
 */
export class PostingStore {
  sealed: SealedPostings = emptySealed();
  /** Per term, postings added since the last seal, interleaved doc and packed tf. */
  tail: (number[] | undefined)[] = [];
  private tailCount = 0;
  /** While a loaded snapshot's lists are read on demand: `data` fills as terms are first used. */
  private lazy: LazyBytes | null = null;
  /** Where `readSealed` decodes to: grown to the longest list read. */
  private scratch: DecodedList = { docs: new Int32Array(256), tfs: new Uint16Array(256), length: 0 };
  private readonly reader = new BlockReader();

  /** Makes the sealed postings of `term` readable (a no-op unless loaded lazily); call before reading them. */
  ensure(term: number): void {
    const lazy = this.lazy;
    if (lazy === null) return;
    const { blocks, blockBytes } = this.sealed;
    if (term + 1 >= blocks.length) return;
    lazy.ensure(blockBytes[blocks[term] ?? 0] ?? 0, blockBytes[blocks[term + 1] ?? 0] ?? 0);
    if (lazy.complete) this.lazy = null;
  }

  /** Reads up to `maxBytes` more of a lazily loaded snapshot's lists; true while some remain unread. */
  readAhead(maxBytes: number): boolean {
    const lazy = this.lazy;
    if (lazy === null) return false;
    const more = lazy.readAhead(maxBytes);
    if (!more) this.lazy = null;
    return more;
  }

  /** Reads every list of a lazily loaded snapshot (before the arrays are rewritten). */
  ensureAll(): void {
    this.lazy?.ensureAll();
    this.lazy = null;
  }

  /** Number of terms the sealed segment covers (later terms have only tail postings). */
  get sealedTerms(): number {
    return this.sealed.offsets.length - 1;
  }

  /** Number of sealed postings of `term` (0 for a term added since the last seal). */
  sealedLength(term: number): number {
    const { offsets } = this.sealed;
    return term + 1 < offsets.length ? (offsets[term + 1] ?? 0) - (offsets[term] ?? 0) : 0;
  }

  /**
   * The sealed postings of `term`, decoded into a buffer this store reuses: valid until the next call, so
   * read it before asking for another list.
   */
  readSealed(term: number): DecodedList {
    this.ensure(term);
    const n = this.sealedLength(term);
    let out = this.scratch;
    if (n > out.docs.length) {
      const size = Math.max(n, out.docs.length * 2);
      out = this.scratch = { docs: new Int32Array(size), tfs: new Uint16Array(size), length: 0 };
    }
    out.length = n;
    if (n > 0) {
      const { blocks, blockBytes, data } = this.sealed;
      decodePostings(data, blockBytes[blocks[term] ?? 0] ?? 0, n, 0, out.docs, out.tfs, 0);
    }
    return out;
  }

  /**
   * A reader positioned before the first block of `term`'s sealed postings, which this store reuses: read
   * it through before asking for another list (a caller that reads other lists meanwhile makes its own).
   */
  readBlocks(term: number): BlockReader {
    return this.reader.start(this, term);
  }

  add(term: number, doc: number, packedTf: number): void {
    const list = this.tail[term];
    if (list === undefined) this.tail[term] = [doc, packedTf];
    else list.push(doc, packedTf);
    this.tailCount++;
  }

  /** True when the tail is large enough that merging it pays off. */
  wantsSeal(): boolean {
    return this.tailCount >= Math.max(MIN_TAIL_TO_SEAL, this.sealedCount >>> 2);
  }

  private get sealedCount(): number {
    const { offsets } = this.sealed;
    return offsets[offsets.length - 1] ?? 0;
  }

  /**
   * Merges the tail into a fresh sealed segment, dropping postings of dead documents (`alive[d] === 0`)
   * and renumbering through `remap` (old → new, -1 for dropped) when given. Renumbering keeps the order
   * (compaction only closes gaps), so each list stays ascending.
   */
  seal(alive: Uint8Array | null, remap: Int32Array | null, termCount = this.tail.length): void {
    this.ensureAll();
    const terms = Math.max(termCount, this.sealedTerms);
    const keep = (d: number): boolean =>
      (alive === null || alive[d] === 1) && (remap === null || (remap[d] ?? -1) >= 0);
    const w = new SealedWriter(terms);
    for (let t = 0; t < terms; t++) {
      const old = this.readSealed(t);
      for (let i = 0; i < old.length; i++) {
        const d = old.docs[i] ?? 0;
        if (keep(d)) w.push(remap === null ? d : (remap[d] ?? 0), old.tfs[i] ?? 0);
      }
      const list = this.tail[t];
      if (list !== undefined)
        for (let i = 0; i < list.length; i += 2) {
          const d = list[i] ?? 0;
          if (keep(d)) w.push(remap === null ? d : (remap[d] ?? 0), list[i + 1] ?? 0);
        }
      w.endTerm();
    }
    this.sealed = w.finish();
    this.tail = [];
    this.tailCount = 0;
  }

  /** Total postings held, sealed and tail (dead ones included until the next seal). */
  get size(): number {
    return this.sealedCount + this.tailCount;
  }

  /** Replaces the contents with a loaded sealed segment, whose `data` may fill on demand (`lazy`). */
  load(sealed: SealedPostings, lazy: LazyBytes | null = null): void {
    this.sealed = sealed;
    this.lazy = lazy;
    this.tail = [];
    this.tailCount = 0;
  }
}
