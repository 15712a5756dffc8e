// Sorted key → value tables streamed into a file in small blocks, looked up in place by positional reads.
import { crc32 } from 'node:zlib';
import { writeFully } from '../file-bytes.ts';
import { BLOCK } from '../snapshot-sections.ts';
import { PAGE, type PageCache } from './page-cache.ts';

/*
 * A table is a run of records (varint key length, key bytes, varint value length, value bytes) sorted by key
 * bytes and cut into blocks of at most TABLE_BLOCK bytes, each starting a page of the section (zero bytes pad
 * a block to the page's end: a zero key length ends a block; keys are never empty). Only the first key and
 * start of each block stay in memory (a few bytes per block): a lookup binary-searches them, reads one page
 * (one positional read, or none when cached) and compares bytes in place, so no key is decoded unless it
 * matches.
 */

/** Bytes per table block: one page (see PageCache), a few hundred short keys to compare. */
export const TABLE_BLOCK = PAGE;

const encoder = new TextEncoder();
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder();

export const encodeKey = (s: string): Uint8Array => encoder.encode(s);
export const decodeUtf8 = (b: Uint8Array): string => utf8.decode(b);

/** Bytes compared as unsigned (the order JS gives ASCII strings, and UTF-8's code point order). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Growable byte buffer for building records (varints, strings). */
export class ByteSink {
  bytes = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const next = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  varint(v: number): this {
    this.room(10);
    let x = v;
    while (x >= 0x80) {
      this.bytes[this.length++] = x % 0x80 | 0x80;
      x = Math.floor(x / 0x80);
    }
    this.bytes[this.length++] = x;
    return this;
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
    return this;
  }

  /** A string as varint byte length + UTF-8. */
  text(s: string): this {
    const b = encoder.encode(s);
    return this.varint(b.length).raw(b);
  }

  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  clear(): this {
    this.length = 0;
    return this;
  }
}

/** Reads varints and strings from a byte array, advancing `at`. */
export class ByteReader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  /** True when a varint could start here and end before the bytes do (10 bytes at most). */
  varint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.bytes.length) throw new RangeError('varint past the end');
      const b = this.bytes[this.at++] ?? 0;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  slice(n: number): Uint8Array {
    if (this.at + n > this.bytes.length) throw new RangeError('string past the end');
    const out = this.bytes.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }

  text(): string {
    return utf8.decode(this.slice(this.varint()));
  }
}

/** Where a section lies in the file, with the CRC-32 of each BLOCK of it. */
export interface SectionPlace {
  offset: number;
  length: number;
}

/**
 * Streams one section into the file at `offset`, computing the CRC-32 of each BLOCK as it goes (through one
 * reused BLOCK buffer: memory stays flat however large the section).
 */
export class SectionWriter {
  private readonly staged = new Uint8Array(BLOCK);
  private fill = 0;
  private written = 0;
  private readonly crcs: number[] = [];

  constructor(
    private readonly fd: number,
    readonly offset: number,
  ) {}

  get length(): number {
    return this.written + this.fill;
  }

  write(bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; ) {
      const n = Math.min(bytes.length - at, BLOCK - this.fill);
      this.staged.set(bytes.subarray(at, at + n), this.fill);
      this.fill += n;
      at += n;
      if (this.fill === BLOCK) this.flush();
    }
  }

  private flush(): void {
    if (this.fill === 0) return;
    const part = this.staged.subarray(0, this.fill);
    this.crcs.push(crc32(part));
    writeFully(this.fd, part, this.offset + this.written);
    this.written += this.fill;
    this.fill = 0;
  }

  finish(): { place: SectionPlace; crcs: Uint32Array } {
    this.flush();
    return { place: { offset: this.offset, length: this.written }, crcs: Uint32Array.from(this.crcs) };
  }
}

/** The in-memory part of a table: each block's first key (packed) and start (n + 1 entries). */
export interface TableIndex {
  keys: Uint8Array;
  keyStarts: Uint32Array;
  blockStarts: Float64Array;
}

/**
 * Writes records in ascending key order as a table; `finish` returns its index.
 * @example const t = new TableWriter(section); t.add(encodeKey('graph'), value); const index = t.finish();
 */
export class TableWriter {
  private readonly record = new ByteSink();
  private readonly firstKeys = new ByteSink();
  private readonly keyStarts: number[] = [0];
  private readonly blockStarts: number[] = [];
  private blockFill = 0;
  private last: Uint8Array | null = null;

  constructor(private readonly out: SectionWriter) {}

  add(key: Uint8Array, value: Uint8Array): void {
    if (this.last !== null && compareBytes(this.last, key) >= 0)
      throw new RangeError('table keys must be added in ascending order, once each');
    this.last = key;
    if (key.length === 0) throw new RangeError('table keys must not be empty');
    this.record.clear().varint(key.length).raw(key).varint(value.length).raw(value);
    if (this.blockStarts.length === 0 || this.blockFill + this.record.length > TABLE_BLOCK) {
      const pad = (TABLE_BLOCK - (this.out.length % TABLE_BLOCK)) % TABLE_BLOCK;
      if (pad > 0) this.out.write(new Uint8Array(pad));
      this.blockStarts.push(this.out.length);
      this.firstKeys.raw(key);
      this.keyStarts.push(this.firstKeys.length);
      this.blockFill = 0;
    }
    this.out.write(this.record.view());
    this.blockFill += this.record.length;
  }

  finish(): TableIndex {
    return {
      keys: this.firstKeys.view().slice(),
      keyStarts: Uint32Array.from(this.keyStarts),
      blockStarts: Float64Array.from([...this.blockStarts, this.out.length]),
    };
  }
}

/** One record of a table: its key's bytes and its value's. */
export interface TableRecord {
  key: Uint8Array;
  value: Uint8Array;
}

/**
 * A table read in place: `get` and `range` read the blocks they need through `data` (checked by CRC-32 as
 * first read).
 */
export class TableReader {
  constructor(
    private readonly data: PageCache,
    private readonly index: TableIndex,
  ) {
    const blocks = index.keyStarts.length - 1;
    if (
      blocks < 0 ||
      index.blockStarts.length !== blocks + 1 ||
      (index.blockStarts[blocks] ?? 0) !== data.length
    )
      throw new RangeError('table index disagrees with its data');
  }

  private get blocks(): number {
    return this.index.keyStarts.length - 1;
  }

  private firstKey(b: number): Uint8Array {
    return this.index.keys.subarray(this.index.keyStarts[b] ?? 0, this.index.keyStarts[b + 1] ?? 0);
  }

  /** The last block whose first key is below `key` (or equal when `orEqual`), else 0. */
  private blockFor(key: Uint8Array, orEqual: boolean): number {
    let lo = 0;
    let hi = this.blocks;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = compareBytes(this.firstKey(mid), key);
      if (c < 0 || (orEqual && c === 0)) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(0, lo - 1);
  }

  private block(b: number): Uint8Array {
    return this.data.bytes(this.index.blockStarts[b] ?? 0, this.index.blockStarts[b + 1] ?? 0);
  }

  /** The value of `key`, or null. */
  get(key: Uint8Array): Uint8Array | null {
    if (this.blocks === 0) return null;
    const bytes = this.block(this.blockFor(key, true));
    const r = new ByteReader(bytes);
    while (r.at < bytes.length) {
      const n = r.varint();
      if (n === 0) return null;
      const k = r.slice(n);
      const v = r.slice(r.varint());
      const c = compareBytes(k, key);
      if (c === 0) return v;
      if (c > 0) return null;
    }
    return null;
  }

  /** Records whose key starts with `prefix`, in key order (each block read as the walk reaches it). */
  *range(prefix: Uint8Array): Generator<TableRecord> {
    for (let b = this.blocks === 0 ? 0 : this.blockFor(prefix, false); b < this.blocks; b++) {
      const bytes = this.block(b);
      const r = new ByteReader(bytes);
      while (r.at < bytes.length) {
        const n = r.varint();
        if (n === 0) break;
        const key = r.slice(n);
        const value = r.slice(r.varint());
        if (startsWith(key, prefix)) yield { key, value };
        else if (compareBytes(key, prefix) > 0) return;
      }
    }
  }
}

function startsWith(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** An ASCII key's text (every folded key is ASCII). */
export const asciiKey = (b: Uint8Array): string => latin1.decode(b);
