// Inverted lists: a compressed sealed segment (delta-coded blocks of 128 postings) plus a small growable tail.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK, type PagedBytes } from '../snapshot-sections.ts';
import { SpillFile, type PostingRuns } from './posting-runs.ts';

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
 * A loaded snapshot's `data` stays in its file (#23): a term's stream is read from the page cache (shared by
 * every process) when a search first needs it, and the lists read most recently are kept up to a byte budget,
 * so a node's memory does not grow with the corpus's postings. The block tables stay in memory (8 bytes a
 * block of 128 postings): a cursor still skips blocks without reading them.
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
    this.data = store.listBytes(term);
    this.left = store.sealedLength(term);
    this.at = store.listStart(term) - store.listBase(term);
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
  private data: Uint8Array;
  private term = 0;
  private total = 0;
  private blockCount = 0;
  /** Bytes of the stream written so far. */
  private bytes = 0;
  /** Where `data` starts in the stream: bytes before it went to the sink. */
  private base = 0;
  private inBlock = 0;
  private last = 0;

  /**
   * With `sink`, the stream is handed over in pieces of whole BLOCKs as it grows (and the rest at `finish`),
   * so it never needs to be in memory at once; `finish` then returns the tables with empty `data`.
   */
  constructor(
    terms: number,
    private readonly sink: ((piece: Uint8Array) => void) | null = null,
  ) {
    this.offsets = new Uint32Array(terms + 1);
    this.blocks = new Uint32Array(terms + 1);
    this.data = new Uint8Array(sink === null ? 1 << 16 : 16 * BLOCK);
  }

  push(doc: number, tf: number): void {
    if (this.inBlock === 0) {
      // The block about to open needs a slot in lastDocs (blockCount) and its end in blockBytes (blockCount + 1).
      if (this.blockCount >= this.lastDocs.length) this.growBlocks();
      this.blockBytes[this.blockCount] = this.bytes;
    }
    if (this.bytes - this.base + 10 > this.data.length) this.makeRoom();
    const at = this.bytes - this.base;
    this.bytes = this.base + writeVarint(this.data, writeVarint(this.data, at, doc - this.last), tf);
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
    let data: Uint8Array;
    if (this.sink === null) data = this.data.slice(0, this.bytes);
    else {
      this.sink(this.data.subarray(0, this.bytes - this.base));
      data = new Uint8Array(0);
    }
    return {
      offsets: this.offsets,
      blocks: this.blocks,
      lastDocs: this.lastDocs.slice(0, this.blockCount),
      blockBytes: this.blockBytes.slice(0, this.blockCount + 1),
      data,
    };
  }

  /** Hands whole BLOCKs to the sink when there is one and they are there, else doubles the buffer. */
  private makeRoom(): void {
    const held = this.bytes - this.base;
    if (this.sink !== null && held >= BLOCK) {
      const whole = held - (held % BLOCK);
      this.sink(this.data.subarray(0, whole));
      this.data.copyWithin(0, whole, held);
      this.base += whole;
      return;
    }
    const next = new Uint8Array(this.data.length * 2);
    next.set(this.data);
    this.data = next;
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

/** Bytes of lists read from a snapshot file kept for later searches, unless configured otherwise. */
export const DEFAULT_LIST_CACHE_BYTES = 32 << 20;

/** What a kept list costs beyond its bytes (the map entry and the array object), counted against the budget. */
const LIST_OVERHEAD = 96;

const NO_BYTES = new Uint8Array(0);

/**
 * Postings for every term, appendable one document at a time.
 * @example const p = new PostingStore(); p.add(0, 7, packTf(1, 2, 0)); p.seal(null, null);
 */
export class PostingStore {
  sealed: SealedPostings = emptySealed();
  /** Per term, postings added since the last seal, interleaved doc and packed tf. */
  tail: (number[] | undefined)[] = [];
  /** Budget for `kept`, in bytes; 0 reads every list from the file each time. */
  cacheBytes = DEFAULT_LIST_CACHE_BYTES;
  /**
   * Whether lists read from the file go to shared memory (a SharedArrayBuffer each), so that lending one to a
   * helper thread (`sharedListBytes`) finds it there instead of moving it in the middle of a search.
   */
  shareLists = false;
  private tailCount = 0;
  /** While a loaded snapshot's lists stay in its file (`sealed.data` is then empty). */
  private paged: PagedBytes | null = null;
  /** Lists read from `paged`, least recently used first, and the bytes they hold with their overhead. */
  private readonly kept = new Map<number, Uint8Array>();
  private keptBytes = 0;
  /** Lists another thread read from the same file and lends for the search under way (`withLentLists`). */
  private lent: ReadonlyMap<number, Uint8Array> | null = null;
  /** Lists read from the file so far (kept or not), for tests and logs. */
  listReads = 0;
  /** Where `readSealed` decodes to: grown to the longest list read. */
  private scratch: DecodedList = { docs: new Int32Array(256), tfs: new Uint16Array(256), length: 0 };
  private readonly reader = new BlockReader();
  /** While an index is built from scratch within a memory budget: where `add` puts postings (posting-runs.ts). */
  private runs: PostingRuns | null = null;

  /** Byte of the sealed stream where `term`'s postings start (0 for a term with none sealed). */
  listStart(term: number): number {
    const { blocks, blockBytes } = this.sealed;
    return term + 1 < blocks.length ? (blockBytes[blocks[term] ?? 0] ?? 0) : 0;
  }

  /**
   * The bytes holding `term`'s sealed stream: the whole stream in memory, or the term's own bytes read from
   * the file (kept while the budget allows). Index it from `listStart(term) − listBase(term)`; the array stays
   * valid for as long as the caller holds it, whatever is read after.
   */
  listBytes(term: number): Uint8Array {
    const paged = this.paged;
    if (paged === null) return this.sealed.data;
    const lent = this.lent?.get(term);
    if (lent !== undefined) return lent;
    const hit = this.kept.get(term);
    if (hit !== undefined) {
      // Most recently used last: the map's order is the eviction order.
      this.kept.delete(term);
      this.kept.set(term, hit);
      return hit;
    }
    const { blocks, blockBytes } = this.sealed;
    if (term + 1 >= blocks.length) return NO_BYTES;
    const bytes = paged.copy(this.listStart(term), blockBytes[blocks[term + 1] ?? 0] ?? 0, this.shareLists);
    this.listReads++;
    this.keep(term, bytes);
    return bytes;
  }

  /**
   * The kept list of `term` in shared memory, for another thread that opened the same snapshot file
   * (`withLentLists` there): moved to a SharedArrayBuffer once (read into one already with `shareLists`), and kept
   * so. Null when the list is not kept (or the snapshot is in memory): nothing is read from the file for it here.
   */
  sharedListBytes(term: number): Uint8Array | null {
    if (this.paged === null) return null;
    const bytes = this.kept.get(term);
    if (bytes === undefined) return null;
    if (bytes.buffer instanceof SharedArrayBuffer) return bytes;
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);
    this.kept.set(term, shared);
    return shared;
  }

  /** Runs `fn` with `lists` (term → `sharedListBytes` of the same file, checked there) answering `listBytes`. */
  withLentLists<T>(lists: ReadonlyMap<number, Uint8Array>, fn: () => T): T {
    this.lent = lists;
    try {
      return fn();
    } finally {
      this.lent = null;
    }
  }

  /** Where `listBytes(term)` starts in the sealed stream: 0 in memory, the list's start when read from a file. */
  listBase(term: number): number {
    return this.paged === null ? 0 : this.listStart(term);
  }

  /** Bytes held by lists kept from the file (for tests and memory figures). */
  get keptByteLength(): number {
    return this.keptBytes;
  }

  private keep(term: number, bytes: Uint8Array): void {
    const cost = bytes.byteLength + LIST_OVERHEAD;
    // One list may take a quarter of the budget, so a common word cannot flush every other list at once.
    if (cost > this.cacheBytes / 4) return;
    this.trimKept(this.cacheBytes - cost);
    this.kept.set(term, bytes);
    this.keptBytes += cost;
  }

  /** Drops the least recently used kept lists until they hold at most `bytes` (after the budget shrank, too). */
  trimKept(bytes = this.cacheBytes): void {
    for (const [old, oldBytes] of this.kept) {
      if (this.keptBytes <= bytes) break;
      this.kept.delete(old);
      this.keptBytes -= oldBytes.byteLength + LIST_OVERHEAD;
    }
  }

  /**
   * Checks up to `maxBytes` more of a file-backed snapshot's lists against their block checksums (keeping
   * none of them), so a damaged block is found soon after start; true while some remain unchecked.
   */
  readAhead(maxBytes: number): boolean {
    return this.paged?.checkAhead(maxBytes) ?? false;
  }

  /** Reads every list of a file-backed snapshot into memory (before the arrays are rewritten in place). */
  ensureAll(): void {
    if (this.paged === null) return;
    this.sealed = { ...this.sealed, data: this.paged.toMemory() };
    this.dropPaged();
  }

  private dropPaged(): void {
    this.paged = null;
    this.kept.clear();
    this.keptBytes = 0;
  }

  /** Bytes of the sealed stream, in memory or in the file. */
  get sealedByteLength(): number {
    return this.paged?.length ?? this.sealed.data.byteLength;
  }

  /** The sealed stream while it is read from a file (a loaded snapshot, a spilled build), else null. */
  get pagedData(): PagedBytes | null {
    return this.paged;
  }

  /** The whole sealed stream (read from the file into a fresh array when it is there; for saving). */
  sealedData(): Uint8Array {
    return this.paged === null ? this.sealed.data : this.paged.copy(0, this.paged.length);
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
   * Documents that cut `term`'s sealed postings into about `parts` runs of whole blocks: for each i from 1 to
   * parts − 1, the one after the last document of the first i/parts of its blocks. Increasing, each above 0;
   * fewer when the term has fewer blocks than parts (none with fewer than two).
   */
  sealedCuts(term: number, parts: number): number[] {
    const { blocks, lastDocs } = this.sealed;
    if (term + 1 >= blocks.length) return [];
    const first = blocks[term] ?? 0;
    const count = (blocks[term + 1] ?? 0) - first;
    const cuts: number[] = [];
    for (let i = 1; i < parts; i++) {
      const before = Math.floor((count * i) / parts);
      if (before < 1 || before >= count) continue;
      const cut = (lastDocs[first + before - 1] ?? 0) + 1;
      if (cut > (cuts.at(-1) ?? 0)) cuts.push(cut);
    }
    return cuts;
  }

  /**
   * The sealed postings of `term`, decoded into a buffer this store reuses: valid until the next call, so
   * read it before asking for another list.
   */
  readSealed(term: number): DecodedList {
    const n = this.sealedLength(term);
    let out = this.scratch;
    if (n > out.docs.length) {
      const size = Math.max(n, out.docs.length * 2);
      out = this.scratch = { docs: new Int32Array(size), tfs: new Uint16Array(size), length: 0 };
    }
    out.length = n;
    if (n > 0) {
      const bytes = this.listBytes(term);
      decodePostings(bytes, this.listStart(term) - this.listBase(term), n, 0, out.docs, out.tfs, 0);
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

  /**
   * From now until the next `seal`, postings go to sorted runs in `runs.dir` (within the runs' budget) instead
   * of the tail, and `seal` merges them once, writing the new segment to a file there and reading it from
   * that file afterwards. Lists added this way are not searchable before that seal: for builds only.
   */
  spillTo(runs: PostingRuns): void {
    if (this.size > 0) throw new RangeError('PostingStore: spill only an empty store');
    this.runs = runs;
  }

  add(term: number, doc: number, packedTf: number): void {
    if (this.runs !== null) {
      this.runs.add(term, doc, packedTf);
      this.tailCount++;
      return;
    }
    const list = this.tail[term];
    if (list === undefined) this.tail[term] = [doc, packedTf];
    else list.push(doc, packedTf);
    this.tailCount++;
  }

  /** True when the tail is large enough that merging it pays off. */
  wantsSeal(): boolean {
    // Runs are written as their buffer fills, and merged once at the end.
    if (this.runs !== null) return false;
    return this.tailCount >= Math.max(MIN_TAIL_TO_SEAL, this.sealedCount >>> 2);
  }

  private get sealedCount(): number {
    const { offsets } = this.sealed;
    return offsets[offsets.length - 1] ?? 0;
  }

  /**
   * Merges the tail into a fresh sealed segment, dropping postings of dead documents (`alive[d] === 0`)
   * and renumbering through `remap` (old → new, -1 for dropped) when given. Renumbering keeps the order
   * (compaction only closes gaps), so each list stays ascending. The new segment is in memory; lists of a
   * file-backed one are read from the file term by term, not all at once, and with `spillPath` the new segment of
   * a file-backed one is written to that file and read from it afterwards (the name is removed at once), so a
   * compaction of a large opened index never holds all its postings in memory.
   */
  seal(
    alive: Uint8Array | null,
    remap: Int32Array | null,
    termCount = this.tail.length,
    spillPath: string | null = null,
  ): void {
    const terms = Math.max(termCount, this.sealedTerms);
    const keep = (d: number): boolean =>
      (alive === null || alive[d] === 1) && (remap === null || (remap[d] ?? -1) >= 0);
    if (this.runs !== null) {
      this.sealRuns(this.runs, terms, keep, remap);
      return;
    }
    // A file-backed segment is merged into a file as well (with `spillPath`): the new segment is never held whole.
    const spill = spillPath !== null && this.paged !== null ? new SpillFile(spillPath) : null;
    const w = new SealedWriter(terms, spill === null ? null : (piece) => spill.write(piece));
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
    const sealed = w.finish();
    if (spill !== null && spillPath !== null) {
      // Read from the spilled file from now on; its name is removed at once (the open file stays readable).
      this.load(sealed, spill.finish());
      rmSync(spillPath, { force: true });
      return;
    }
    this.sealed = sealed;
    this.dropPaged();
    this.tail = [];
    this.tailCount = 0;
  }

  /**
   * `seal` of a spilled store (empty before the spill): every run merged term by term into a segment written
   * straight to a file beside the runs, which the lists are then read from (as a loaded snapshot's are). The
   * bytes are those the in-memory seal writes.
   */
  private sealRuns(
    runs: PostingRuns,
    terms: number,
    keep: (d: number) => boolean,
    remap: Int32Array | null,
  ): void {
    const file = new SpillFile(join(runs.dir, 'postings'));
    const w = new SealedWriter(terms, (piece) => file.write(piece));
    let next = 0;
    runs.merge(terms, (t, docs, tfs, n) => {
      for (; next < t; next++) w.endTerm();
      for (let i = 0; i < n; i++) {
        const d = docs[i] ?? 0;
        if (keep(d)) w.push(remap === null ? d : (remap[d] ?? 0), tfs[i] ?? 0);
      }
      w.endTerm();
      next = t + 1;
    });
    for (; next < terms; next++) w.endTerm();
    const sealed = w.finish();
    this.runs = null;
    this.load(sealed, file.finish());
  }

  /** Total postings held, sealed and tail (dead ones included until the next seal). */
  get size(): number {
    return this.sealedCount + this.tailCount;
  }

  /**
   * Replaces the contents with a loaded sealed segment; with `paged`, its `data` is left empty and each list
   * is read from the file as it is needed.
   */
  load(sealed: SealedPostings, paged: PagedBytes | null = null): void {
    this.sealed = paged === null ? sealed : { ...sealed, data: NO_BYTES };
    this.dropPaged();
    this.paged = paged;
    this.tail = [];
    this.tailCount = 0;
  }
}
