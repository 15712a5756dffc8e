// Each document's analyzed term sequence, varint-packed, for phrase checks and for forgetting a removed document.
import { rmSync } from 'node:fs';
import { BLOCK, type LazyBytes, type PagedBytes } from '../snapshot-sections.ts';
import { SpillFile } from './posting-runs.ts';
import { PairSignatures } from './pair-signatures.ts';
import { tfAbstract, tfAuthors, tfTitle } from './postings.ts';

/*
 * Document d occupies bytes start[d] .. start[d+1] of `bytes`. Each entry is a varint of termId + 1; a 0
 * marks the end of a field, so a phrase never spans title and abstract. Documents are appended in doc-number
 * order; a removed document's bytes stay until `compact` drops them.
 */

/** One field's term ids: a list, or a slice of a typed array (documents analyzed in a worker thread). */
export type TermIds = readonly number[] | Int32Array;

/** Bytes of file-held sequences read at once by `eachSequence` (a few hundred documents). */
const SEQUENCE_RUN_BYTES = 256 * 1024;

/** Field separator in the decoded sequence. */
export const FIELD_BREAK = -1;

/**
 * Append-only store of per-document term sequences.
 * @example const f = new ForwardStore(); f.append([[3, 5], [5, 9]]); f.read(0, []) // [3, 5, -1, 5, 9, -1]
 */
export class ForwardStore {
  bytes: Uint8Array = new Uint8Array(1 << 16);
  start: Uint32Array = new Uint32Array(1024);
  count = 0;
  /** Which adjacent word pairs each document may hold (phrase counting), kept along with the sequences. */
  readonly pairs = new PairSignatures();
  /** Scratch for `holdsPhrase`: the last terms read, a power of two long. */
  private ring = new Int32Array(8);
  /** While a loaded snapshot's sequences are read on demand (see snapshot-sections.ts). */
  private lazy: LazyBytes | null = null;
  /**
   * While a loaded snapshot's sequences stay in its file, read one document at a time from the page cache
   * (shared by every process) until the first change reads them in (`bytes` is then empty).
   */
  private paged: PagedBytes | null = null;
  /**
   * Where `bytes` starts in the sequence space: documents below it are in `paged`, documents appended since
   * the snapshot was opened are in `bytes` (so papers arriving while serving leave the file's part paged).
   */
  private base = 0;

  /** The sequences left in a snapshot's file (null when none are), for checking their blocks elsewhere. */
  get pagedSection(): PagedBytes | null {
    return this.paged;
  }

  /** Bytes the sequences occupy, in memory or in the file. */
  get storedLength(): number {
    return this.paged?.length ?? this.bytes.byteLength;
  }

  /**
   * The varint sequence of document d (field breaks included), from memory or from the file; a view that
   * the next call may reuse, so it is read at once.
   */
  sequence(d: number): Uint8Array {
    const from = this.start[d] ?? 0;
    const to = this.start[d + 1] ?? 0;
    if (this.paged !== null && from < this.base) return this.paged.view(from, to);
    if (this.lazy !== null) {
      this.lazy.ensure(from, to);
      if (this.lazy.complete) this.lazy = null;
    }
    return this.bytes.subarray(from - this.base, to - this.base);
  }

  /**
   * Visits the sequences of documents `from` .. `to`-1 in order (each view valid only during its visit). Those
   * left in the file are read a run of up to SEQUENCE_RUN_BYTES at a time: one read for hundreds of documents,
   * where `sequence` makes one per document (300,000 reads, 2.9 s of a restarted 300k serve's first seconds,
   * building the pair signatures: docs/BENCHMARKS.md "#23 p99 after restart (h24p)").
   */
  eachSequence(from: number, to: number, visit: (d: number, bytes: Uint8Array) => void): void {
    const start = this.start;
    for (let d = from; d < to; ) {
      const at = start[d] ?? 0;
      if (this.paged === null || at >= this.base) {
        visit(d, this.sequence(d));
        d++;
        continue;
      }
      let end = d + 1;
      while (end < to && (start[end] ?? 0) < this.base && (start[end + 1] ?? 0) - at <= SEQUENCE_RUN_BYTES)
        end++;
      const run = this.paged.view(at, start[end] ?? 0);
      for (let e = d; e < end; e++) visit(e, run.subarray((start[e] ?? 0) - at, (start[e + 1] ?? 0) - at));
      d = end;
    }
  }

  /**
   * Reads up to `maxBytes` more of a lazily loaded snapshot's sequences, then builds the pair signatures of
   * about as many bytes' worth of documents; true while some of either remain.
   */
  readAhead(maxBytes: number): boolean {
    // Sequences left in the file are not read ahead: only the signatures are built (one pass over them).
    const more = this.lazy?.readAhead(maxBytes) ?? false;
    if (more) return true;
    this.lazy = null;
    // Then the pair signatures, about 500 bytes of sequence per document (256 documents at least per slice).
    return this.pairs.extend(this, Math.max(256, maxBytes >>> 9));
  }

  /** Reads every sequence of a lazily loaded snapshot (before the bytes are copied or rewritten). */
  ensureAll(): void {
    this.lazy?.ensureAll();
    this.lazy = null;
    if (this.paged !== null) {
      const head = this.paged.toMemory();
      const all = new Uint8Array(Math.max(this.byteLength, head.byteLength));
      all.set(head);
      all.set(this.bytes.subarray(0, this.byteLength - this.base), this.base);
      this.bytes = all;
      this.paged = null;
      this.base = 0;
    }
  }

  /** True when every sequence is in `bytes` (none left in or still to be read from a snapshot file). */
  get inMemory(): boolean {
    return this.paged === null && this.lazy === null;
  }

  /** Bytes in use. */
  get byteLength(): number {
    return this.start[this.count] ?? 0;
  }

  /** Appends the next document: one term-id list per field. */
  append(fields: readonly TermIds[]): void {
    // Sequences read on demand into memory are completed first; ones left in the file stay there.
    this.lazy?.ensureAll();
    this.lazy = null;
    let pos = this.byteLength - this.base;
    let needed = pos;
    for (const f of fields) needed += f.length * 5 + 1;
    if (needed > this.bytes.length) this.bytes = growBytes(this.bytes, needed);
    for (const f of fields) {
      for (const t of f) pos = writeVarint(this.bytes, pos, t + 1);
      this.bytes[pos++] = 0;
    }
    pos += this.base;
    if (this.count + 2 > this.start.length) {
      const next = new Uint32Array(this.start.length * 2);
      next.set(this.start);
      this.start = next;
    }
    this.count++;
    this.start[this.count] = pos;
    // Signatures that were current stay so (one document's pairs); otherwise they are built when needed.
    if (this.pairs.covered === this.count - 1) this.pairs.extend(this);
  }

  /** Decodes document d into `out` (cleared first): term ids with FIELD_BREAK after each field. */
  read(d: number, out: number[]): number[] {
    out.length = 0;
    const bytes = this.sequence(d);
    const end = bytes.byteLength;
    let p = 0;
    // Most term ids fit one or two bytes: the common case stays integer-only (phrase checks decode
    // tens of thousands of documents per trends series).
    while (p < end) {
      let b = bytes[p++] as number;
      let v = b & 127;
      for (let mul = 128; b >= 128; mul *= 128) {
        b = bytes[p++] as number;
        v += (b & 127) * mul;
      }
      out.push(v - 1);
    }
    return out;
  }

  /**
   * True when document d holds `phrase` (term ids, none -1) as consecutive terms within one field, looking
   * only in the fields whose bit is set in `fields` (1 title, 2 abstract, 4 authors: a caller that knows
   * from the postings that a field lacks one of the words skips its bytes). Reads no further than the first
   * occurrence and allocates nothing: trends check thousands of candidate papers per phrase.
   * @example f.append([[3, 5], [5, 9]]); f.holdsPhrase(0, Int32Array.of(5, 9), 7) // true
   */
  holdsPhrase(d: number, phrase: Int32Array, fields = 7): boolean {
    const len = phrase.length;
    if (len === 0) return true;
    const bytes = this.sequence(d);
    const end = bytes.byteLength;
    let p = 0;
    // The field's last `len` terms, in a ring: a match is tested only where the phrase's last word appears.
    if (this.ring.length < len) this.ring = new Int32Array(1 << Math.ceil(Math.log2(len)));
    const ring = this.ring;
    const mask = ring.length - 1;
    const lastTerm = phrase[len - 1] ?? -1;
    for (let f = 0; p < end && fields >>> f !== 0; f++) {
      if ((fields & (1 << f)) === 0) {
        // A 0 byte only ends a field: every varint byte but the last has its high bit set, and the last is
        // not 0 because ids are stored + 1.
        p = bytes.indexOf(0, p) + 1;
        if (p === 0) return false;
        continue;
      }
      let n = 0;
      for (;;) {
        let b = bytes[p++] as number;
        if (b === 0) break;
        let v = b & 127;
        for (let mul = 128; b >= 128; mul *= 128) {
          b = bytes[p++] as number;
          v += (b & 127) * mul;
        }
        v -= 1;
        ring[n & mask] = v;
        n++;
        if (v === lastTerm && n >= len) {
          let j = len - 2;
          while (j >= 0 && ring[(n - len + j) & mask] === phrase[j]) j--;
          if (j < 0) return true;
        }
      }
    }
    return false;
  }

  /**
   * `holdsPhrase` for a caller that knows from the postings how often each phrase word occurs in each field
   * of document d (`tfs[i]`: the packed posting payload of `phrase[i]`, see postings.ts). In each field that
   * holds every word, the word occurring least there is the anchor: its occurrences are found by a native
   * byte search, and only the words around each one are decoded. Costs a few byte scans instead of decoding
   * the document, so counting a phrase whose words are common (but rarely adjacent) stays cheap.
   * @example f.append([[3, 5], [5, 9]]); f.holdsPhraseAround(0, Int32Array.of(5, 9), Int32Array.of(0x11, 0x10)) // true
   */
  holdsPhraseAround(d: number, phrase: Int32Array, tfs: Int32Array): boolean {
    const len = phrase.length;
    if (len === 0) return true;
    const bytes = this.sequence(d);
    const end = bytes.byteLength;
    let fieldStart = 0;
    for (let f = 0; f < 3 && fieldStart < end; f++) {
      const fieldEnd = bytes.indexOf(0, fieldStart);
      if (fieldEnd < 0) return false;
      let anchor = -1;
      let fewest = Infinity;
      for (let i = 0; i < len; i++) {
        const n = fieldCount(tfs[i] ?? 0, f);
        if (n < fewest) {
          fewest = n;
          anchor = i;
        }
      }
      if (fewest > 0 && phraseInField(bytes, phrase, anchor, fewest, f, fieldStart, fieldEnd)) return true;
      fieldStart = fieldEnd + 1;
    }
    return false;
  }

  /**
   * Keeps only documents with remap[d] >= 0, in order (remap must be monotonic). With `spillPath`, sequences left
   * in a snapshot's file are copied into that file (read from it afterwards; the name is removed at once) instead
   * of into memory.
   */
  compact(remap: Int32Array, spillPath: string | null = null): void {
    if (spillPath !== null && this.paged !== null && this.lazy === null) {
      this.compactToFile(remap, spillPath);
      return;
    }
    this.ensureAll();
    this.pairs.compact(remap);
    const bytes = new Uint8Array(Math.max(this.byteLength, 1 << 16));
    const start = new Uint32Array(Math.max(this.count + 2, 1024));
    let n = 0;
    let pos = 0;
    for (let d = 0; d < this.count; d++) {
      if ((remap[d] ?? -1) < 0) continue;
      const s = this.start[d] ?? 0;
      const e = this.start[d + 1] ?? 0;
      bytes.set(this.bytes.subarray(s, e), pos);
      pos += e - s;
      start[++n] = pos;
    }
    this.bytes = bytes;
    this.start = start;
    this.count = n;
  }

  private compactToFile(remap: Int32Array, path: string): void {
    const file = new SpillFile(path);
    const start = new Uint32Array(this.count + 1);
    let buf = new Uint8Array(4 * BLOCK);
    let used = 0;
    let n = 0;
    let pos = 0;
    // The file takes whole blocks (its block checksums), the rest waits for the next sequences.
    const flush = (all: boolean): void => {
      const cut = all ? used : used - (used % BLOCK);
      if (cut === 0) return;
      file.write(buf.subarray(0, cut));
      buf.copyWithin(0, cut, used);
      used -= cut;
    };
    this.eachSequence(0, this.count, (d, bytes) => {
      if ((remap[d] ?? -1) < 0) return;
      if (used + bytes.byteLength > buf.byteLength) {
        flush(false);
        if (used + bytes.byteLength > buf.byteLength) {
          const grown = new Uint8Array(2 * (used + bytes.byteLength));
          grown.set(buf.subarray(0, used));
          buf = grown;
        }
      }
      buf.set(bytes, used);
      used += bytes.byteLength;
      pos += bytes.byteLength;
      start[++n] = pos;
    });
    flush(true);
    // As an opened snapshot's: pair signatures are built again as searches need them.
    this.load(new Uint8Array(0), start.slice(0, n + 1), file.finish());
    rmSync(path, { force: true });
  }

  /**
   * Replaces the contents with loaded arrays (`start` has count + 1 entries); `lazy` fills `bytes` on demand,
   * or `paged` leaves the sequences in the file (`bytes` unused then).
   */
  load(bytes: Uint8Array, start: Uint32Array, lazy: LazyBytes | PagedBytes | null = null): void {
    this.bytes = bytes;
    this.lazy = lazy !== null && 'ensure' in lazy ? lazy : null;
    this.paged = lazy !== null && 'view' in lazy ? lazy : null;
    this.pairs.reset();
    this.start = start;
    this.count = start.length - 1;
    this.base = this.paged === null ? 0 : this.byteLength;
  }
}

/** Whether the field at bytes [from, to) holds `phrase` around one of the `count` occurrences of its anchor word. */
function phraseInField(
  bytes: Uint8Array,
  phrase: Int32Array,
  anchor: number,
  count: number,
  f: number,
  from: number,
  to: number,
): boolean {
  const len = phrase.length;
  const id = (phrase[anchor] ?? 0) + 1;
  const firstByte = id < 128 ? id : (id & 127) | 128;
  // A saturated count (15 in title and authors, 255 in the abstract) may be below the true one.
  const limit = count >= (f === 1 ? 255 : 15) ? Infinity : count;
  let seen = 0;
  for (
    let p = bytes.indexOf(firstByte, from);
    p >= 0 && p < to && seen < limit;
    p = bytes.indexOf(firstByte, p + 1)
  ) {
    // A varint starts at the field's start or after a byte without the continuation bit.
    if (p > from && (bytes[p - 1] as number) >= 128) continue;
    let q = varintIs(bytes, p, id);
    if (q < 0) continue;
    seen++;
    // The words after the anchor, read forward (a field break decodes to 0 and matches no word).
    let j = anchor + 1;
    for (; j < len && q >= 0; j++) q = varintIs(bytes, q, (phrase[j] ?? 0) + 1);
    if (q < 0) continue;
    // The words before it, read backward: the previous varint ends at the byte before this one's start.
    let start = p;
    for (j = anchor - 1; j >= 0; j--) {
      if (start <= from) break;
      let s = start - 1;
      while (s > from && (bytes[s - 1] as number) >= 128) s--;
      if (varintIs(bytes, s, (phrase[j] ?? 0) + 1) < 0) break;
      start = s;
    }
    if (j < 0) return true;
  }
  return false;
}

/** Where the varint at `at` ends if its value is `expected`, else -1 (no closure per phrase check). */
function varintIs(bytes: Uint8Array, at: number, expected: number): number {
  let q = at;
  let b = bytes[q++] as number;
  let v = b & 127;
  for (let mul = 128; b >= 128; mul *= 128) {
    b = bytes[q++] as number;
    v += (b & 127) * mul;
  }
  return v === expected ? q : -1;
}

/** How often a word occurs in field f (0 title, 1 abstract, 2 authors) by its packed posting payload. */
function fieldCount(tf: number, f: number): number {
  return f === 0 ? tfTitle(tf) : f === 1 ? tfAbstract(tf) : tfAuthors(tf);
}

function writeVarint(bytes: Uint8Array, pos: number, value: number): number {
  let v = value;
  while (v >= 128) {
    bytes[pos++] = (v & 127) | 128;
    v = Math.floor(v / 128);
  }
  bytes[pos++] = v;
  return pos;
}

function growBytes(bytes: Uint8Array, needed: number): Uint8Array {
  const next = new Uint8Array(Math.max(needed, Math.ceil(bytes.length * 1.5)));
  next.set(bytes);
  return next;
}
