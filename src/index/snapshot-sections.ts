// Reading snapshot sections: small ones whole, large ones block by block on first use, every byte checked by CRC-32.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { readFully } from './file-bytes.ts';

/*
 * A large section (postings, per-document term sequences, vector rows) is read into a zero-filled array of
 * its full size: the operating system hands out such memory untouched, so the parts never read cost neither
 * time nor resident memory. Each BLOCK bytes of it carry their own CRC-32 (a small section of their own), so
 * a block is checked as it is read, and `verify` can check a whole file by streaming it through one small
 * buffer (fast: no fresh memory to fault in) before anything is served from it.
 */

/** Bytes per checked block of a large section. */
export const BLOCK = 1 << 16;

/** A snapshot failed a check: truncated, a flipped byte, or sections that disagree. */
export class SnapshotDamaged extends Error {
  constructor(
    readonly file: string,
    what: string,
  ) {
    super(`${file} is damaged (${what})`);
    this.name = 'SnapshotDamaged';
  }
}

/** Where snapshot bytes come from: an open file, or a buffer already in memory (tests, benchmarks). */
export interface ByteSource {
  readonly name: string;
  readonly size: number;
  /** Fills `into` from `offset`; throws SnapshotDamaged past the end. */
  read(offset: number, into: Uint8Array): void;
  /** One more user of the open file (a large section still to be read). */
  hold(): void;
  /** One user fewer; the file closes when none is left (the opener holds it first). */
  release(): void;
  /** Closes the file now, whoever still holds it (idempotent). */
  close(): void;
  /** Told when a block read after opening fails its check (before the error is thrown to the reader). */
  readonly onDamage?: (err: SnapshotDamaged) => void;
  /** The open file's device and inode (a file source), so checks made elsewhere can be matched to it. */
  readonly identity?: FileIdentity;
}

/** Which file an open source reads: another reader of the same path must find the same device and inode. */
export interface FileIdentity {
  dev: number;
  ino: number;
}

/**
 * @example const src = fileSource('snap/lexical.bin'); try { … } finally { src.close(); }
 */
export function fileSource(path: string, onDamage?: (err: SnapshotDamaged) => void): ByteSource {
  let fd: number | null = openSync(path, 'r');
  const st = fstatSync(fd);
  const size = st.size;
  let holds = 1;
  return {
    name: path,
    size,
    onDamage,
    identity: { dev: st.dev, ino: st.ino },
    read(offset, into) {
      if (fd === null) throw new SnapshotDamaged(path, 'read after close');
      if (offset + into.byteLength > size || !readFully(fd, into, offset))
        throw new SnapshotDamaged(path, 'cut short');
    },
    hold() {
      holds++;
    },
    release() {
      if (--holds <= 0) this.close();
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

/** @example const src = bufferSource(serialized, 'lexical index'); */
export function bufferSource(buf: Uint8Array, name: string): ByteSource {
  return {
    name,
    size: buf.byteLength,
    read(offset, into) {
      if (offset + into.byteLength > buf.byteLength) throw new SnapshotDamaged(name, 'cut short');
      into.set(buf.subarray(offset, offset + into.byteLength));
    },
    hold() {},
    release() {},
    close() {},
  };
}

/** CRC-32 of each BLOCK of `bytes` (the last one shorter). */
export function blockChecksums(bytes: Uint8Array): Uint32Array {
  const out = new Uint32Array(Math.ceil(bytes.byteLength / BLOCK));
  for (let b = 0; b < out.length; b++) out[b] = crc32(bytes.subarray(b * BLOCK, (b + 1) * BLOCK));
  return out;
}

/**
 * Checks `length` bytes at `offset` against per-block checksums, streaming through one reused buffer.
 */
export function verifyBlocks(src: ByteSource, offset: number, length: number, crcs: Uint32Array): void {
  if (crcs.length !== Math.ceil(length / BLOCK)) throw new SnapshotDamaged(src.name, 'block table');
  const chunk = new Uint8Array(Math.min(64 * BLOCK, Math.max(length, 1)));
  for (let at = 0; at < length; at += chunk.byteLength) {
    const part = chunk.subarray(0, Math.min(chunk.byteLength, length - at));
    src.read(offset + at, part);
    for (let b = 0; b * BLOCK < part.byteLength; b++) {
      const index = (at + b * BLOCK) / BLOCK;
      if (crc32(part.subarray(b * BLOCK, (b + 1) * BLOCK)) !== crcs[index])
        throw new SnapshotDamaged(src.name, `checksum of block ${index}`);
    }
  }
}

/**
 * A large section read on demand: `bytes` is the whole section, filled block by block as `ensure` asks.
 * @example const lazy = new LazyBytes(src, offset, length, crcs); lazy.ensure(0, 64); lazy.bytes[0];
 */
export class LazyBytes {
  readonly bytes: Uint8Array;
  private readonly loaded: Uint8Array;
  private missing: number;

  constructor(
    private readonly src: ByteSource,
    private readonly offset: number,
    length: number,
    private readonly crcs: Uint32Array,
    /** The section's memory, when the caller wants typed views over it (8-byte aligned). */
    buffer: ArrayBuffer = new ArrayBuffer(length),
  ) {
    if (crcs.length !== Math.ceil(length / BLOCK)) throw new SnapshotDamaged(src.name, 'block table');
    this.bytes = new Uint8Array(buffer, 0, length);
    this.loaded = new Uint8Array(crcs.length);
    this.missing = crcs.length;
    // The file stays open while blocks remain to be read (a removed generation's file included).
    if (this.missing > 0) src.hold();
  }

  /** True once every block is in memory (the source may then be closed). */
  get complete(): boolean {
    return this.missing === 0;
  }

  /** Makes bytes [from, to) readable, reading and checking the blocks they lie in. */
  ensure(from: number, to: number): void {
    if (this.missing === 0 || to <= from) return;
    const last = Math.min(Math.ceil(to / BLOCK), this.loaded.length);
    for (let b = Math.floor(from / BLOCK); b < last; b++) {
      if (this.loaded[b] === 1) continue;
      // A run of missing blocks is read with one call.
      let end = b + 1;
      while (end < last && this.loaded[end] === 0) end++;
      this.readBlocks(b, end);
      b = end - 1;
    }
  }

  /**
   * Reads up to `maxBytes` of the blocks not yet read, in file order; true while some remain. A server calls
   * it in slices after start, so later searches never wait for a block and no slice holds the event loop long.
   */
  readAhead(maxBytes: number): boolean {
    let budget = Math.max(1, Math.ceil(maxBytes / BLOCK));
    for (let b = 0; b < this.loaded.length && budget > 0; b++) {
      if (this.loaded[b] === 1) continue;
      let end = b + 1;
      while (end < this.loaded.length && this.loaded[end] === 0 && end - b < budget) end++;
      this.readBlocks(b, end);
      budget -= end - b;
      b = end - 1;
    }
    return this.missing > 0;
  }

  /** Reads every block not yet read. */
  ensureAll(): void {
    this.ensure(0, this.bytes.byteLength);
  }

  private readBlocks(first: number, end: number): void {
    try {
      const from = first * BLOCK;
      const part = this.bytes.subarray(from, Math.min(end * BLOCK, this.bytes.byteLength));
      this.src.read(this.offset + from, part);
      for (let b = first; b < end; b++) {
        if (crc32(this.bytes.subarray(b * BLOCK, (b + 1) * BLOCK)) !== this.crcs[b])
          throw new SnapshotDamaged(this.src.name, `checksum of block ${b}`);
        this.loaded[b] = 1;
        this.missing--;
      }
    } catch (err) {
      // The owner of the snapshot learns of it even when the reader (a search) turns the error into a notice.
      if (err instanceof SnapshotDamaged) this.src.onDamage?.(err);
      throw err;
    }
    if (this.missing === 0) this.src.release();
  }
}

/** Closes the file of a paged section whose owner was dropped without reading it whole. */
const unheld = new FinalizationRegistry<ByteSource>((src) => src.release());

/**
 * A large section left in the file and read through small buffers as asked, relying on the operating system's
 * page cache (shared by every process that reads the file) instead of a copy in this process's memory. Each
 * block is checked by its CRC-32 the first time any byte of it is read; `toMemory` reads the whole section
 * into memory for an owner that is about to change it.
 * @example const paged = new PagedBytes(src, offset, length, crcs); paged.view(512, 1024)[0];
 */
export class PagedBytes {
  private readonly checked: Uint8Array;
  private scratch = new Uint8Array(4096);
  private whole: Uint8Array | null = null;
  /** Where `checkAhead` goes on. */
  private nextUnchecked = 0;

  constructor(
    private readonly src: ByteSource,
    private readonly offset: number,
    readonly length: number,
    private readonly crcs: Uint32Array,
    /** Blocks already checked (the whole file was verified at open): none is checked again. */
    verified = false,
  ) {
    if (crcs.length !== Math.ceil(length / BLOCK)) throw new SnapshotDamaged(src.name, 'block table');
    this.checked = new Uint8Array(crcs.length).fill(verified ? 1 : 0);
    // The file stays open as long as this section is read from it (a removed generation's file included).
    src.hold();
    unheld.register(this, src, this);
  }

  /**
   * Bytes [from, to) of the section, read now from the file (or the page cache); the view is reused by the
   * next call, so a caller reads it before asking for more.
   */
  view(from: number, to: number): Uint8Array {
    if (to > this.length || from < 0 || to < from)
      throw new SnapshotDamaged(this.src.name, 'read past a section');
    if (this.whole !== null) return this.whole.subarray(from, to);
    this.check(from, to);
    if (to - from > this.scratch.byteLength)
      this.scratch = new Uint8Array(Math.max(to - from, 2 * this.scratch.byteLength));
    const out = this.scratch.subarray(0, to - from);
    this.src.read(this.offset + from, out);
    return out;
  }

  /**
   * Bytes [from, to) of the section in a fresh array of their own (checked, read now; kept by the caller); in a
   * SharedArrayBuffer when `shared`, so another thread can read them without a copy.
   */
  copy(from: number, to: number, shared = false): Uint8Array {
    if (to > this.length || from < 0 || to < from)
      throw new SnapshotDamaged(this.src.name, 'read past a section');
    if (this.whole !== null) return this.whole.slice(from, to);
    this.check(from, to);
    const out = shared ? new Uint8Array(new SharedArrayBuffer(to - from)) : new Uint8Array(to - from);
    this.src.read(this.offset + from, out);
    return out;
  }

  /**
   * Checks up to `maxBytes` of the blocks not checked yet, in file order, keeping none of them; true while
   * some remain. A server calls it in slices after start, so a damaged block is found within seconds.
   */
  checkAhead(maxBytes: number): boolean {
    if (this.whole !== null) return false;
    const checked = this.checked;
    for (let budget = Math.max(1, Math.ceil(maxBytes / BLOCK)); budget > 0; budget--) {
      // The next block not checked, found by the typed array's own search: a loop here over the blocks checked
      // elsewhere (nearly all, after serve's start-up checks) was compiled on the stack at each call and
      // deoptimized on leaving it.
      const b = checked.indexOf(0, this.nextUnchecked);
      if (b < 0) {
        this.nextUnchecked = checked.length;
        break;
      }
      this.nextUnchecked = b + 1;
      this.check(b * BLOCK, Math.min((b + 1) * BLOCK, this.length));
    }
    return this.nextUnchecked < checked.length;
  }

  /** True while some block has not been checked (nor the section read into memory). */
  get unchecked(): boolean {
    return this.whole === null && this.checked.includes(0);
  }

  /** Where the section lies (file, device and inode, offset, length), for checking it elsewhere. */
  get place(): { file: string; identity: FileIdentity | undefined; offset: number; length: number } {
    return { file: this.src.name, identity: this.src.identity, offset: this.offset, length: this.length };
  }

  /**
   * Takes block checks made elsewhere (`crcs`: the CRC-32 of each BLOCK of this section, read from the same
   * file, e.g. by a worker thread): every block whose CRC matches is marked checked, so no later read checks it
   * again. The first that differs is damage, reported as a failed read would be (`onDamage`, then thrown).
   * `first`: the block the checks start at (a piece of the section).
   */
  acceptChecks(crcs: Uint32Array, first = 0): void {
    if (first < 0 || first + crcs.length > this.crcs.length || (first === 0 && crcs.length === 0))
      throw new SnapshotDamaged(this.src.name, 'block checks of another size');
    let bad = -1;
    for (let i = 0; i < crcs.length; i++) {
      const b = first + i;
      if (crcs[i] === this.crcs[b]) this.checked[b] = 1;
      else if (bad < 0) bad = b;
    }
    if (bad >= 0) {
      const damage = new SnapshotDamaged(this.src.name, `checksum of block ${bad}`);
      this.src.onDamage?.(damage);
      throw damage;
    }
  }

  /**
   * Lets go of the file now rather than when this is collected (a worker thread's opened files outlive it, and a
   * removed generation's file keeps its disk space while open). No read may follow.
   */
  close(): void {
    if (!unheld.unregister(this)) return;
    this.src.release();
  }

  /** The CRC-32 of each BLOCK of the section (as `blockChecksums` of its bytes would give). */
  get blockCrcs(): Uint32Array {
    return this.crcs;
  }

  /**
   * The section front to back in pieces of at most `pieceBytes` (each checked before it is given), for copying
   * it without holding it in memory; each piece is valid until the next.
   */
  *pieces(pieceBytes = 64 * BLOCK): Generator<Uint8Array> {
    for (let at = 0; at < this.length; at += pieceBytes)
      yield this.view(at, Math.min(this.length, at + pieceBytes));
  }

  /** The whole section in this process's memory (read and checked once; later views come from it). */
  toMemory(buffer: ArrayBuffer = new ArrayBuffer(this.length)): Uint8Array {
    if (this.whole !== null) return this.whole;
    const lazy = new LazyBytes(this.src, this.offset, this.length, this.crcs, buffer);
    lazy.ensureAll();
    this.whole = lazy.bytes;
    unheld.unregister(this);
    this.src.release();
    return this.whole;
  }

  /** Checks every block of [from, to) not checked yet, streaming each through a reused buffer. */
  private check(from: number, to: number): void {
    const last = Math.min(Math.ceil(to / BLOCK), this.checked.length);
    for (let b = Math.floor(from / BLOCK); b < last; b++) {
      if (this.checked[b] === 1) continue;
      try {
        verifyBlocks(
          this.src,
          this.offset + b * BLOCK,
          Math.min(BLOCK, this.length - b * BLOCK),
          this.crcs.subarray(b, b + 1),
        );
      } catch (err) {
        if (err instanceof SnapshotDamaged) {
          const damage = new SnapshotDamaged(this.src.name, `checksum of block ${b}`);
          this.src.onDamage?.(damage);
          throw damage;
        }
        throw err;
      }
      this.checked[b] = 1;
    }
  }
}
