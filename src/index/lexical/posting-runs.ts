// Postings of an index built from scratch, kept within a memory budget: sorted runs in temporary files, merged once.
import { closeSync, fstatSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { readFully, writeFully } from '../file-bytes.ts';
import { BLOCK, fileSource, PagedBytes } from '../snapshot-sections.ts';

/*
 * While `paperboy reindex` builds the lexical index, postings arrive document by document (doc numbers only
 * grow). Instead of growing in-memory lists and re-encoding them into the sealed segment every time they reach a
 * quarter of it (each posting about five times, the old and the new segment in memory at once), postings are
 * buffered as three typed columns up to a byte budget; a full buffer is sorted by term (stably, so docs stay
 * ascending) and written as one run: per term present, varint(term − previous term), varint(count), then
 * count × (varint(doc − previous doc), varint(tf)). Runs hold doc ranges in order, so a term's final list is
 * its lists from every run, one after the other; `merge` reads all runs side by side, each through a small
 * buffer, and hands each term's postings to the caller once, which encodes them straight into a file
 * (`SpillFile`). Memory is then the budget, one buffer per run, and the block tables.
 */

/** Bytes a buffered posting costs: term and doc (4 each), tf (2), and its slot in the sort order (4). */
const BYTES_PER_POSTING = 14;

/** Read buffer of each run during the merge, within these bounds. */
const MIN_READ = 64 << 10;
const MAX_READ = 4 << 20;

/**
 * Sorted runs of postings in a temporary folder of their own (removed by `close`).
 * @example const runs = new PostingRuns(dir, 64 << 20); runs.add(3, 0, 17); runs.merge(terms, (t, docs, tfs, n) => …); runs.close();
 */
export class PostingRuns {
  private readonly capacity: number;
  private terms: Uint32Array;
  private docs: Uint32Array;
  private tfs: Uint16Array;
  private order: Uint32Array;
  private length = 0;
  private maxTerm = -1;
  private readonly files: string[] = [];
  /** Postings added in all. */
  count = 0;

  constructor(
    /** A folder for this build alone (created now, removed by `close`). */
    readonly dir: string,
    budgetBytes: number,
  ) {
    this.capacity = Math.max(16, Math.floor(budgetBytes / BYTES_PER_POSTING));
    this.terms = new Uint32Array(this.capacity);
    this.docs = new Uint32Array(this.capacity);
    this.tfs = new Uint16Array(this.capacity);
    this.order = new Uint32Array(this.capacity);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /** Runs written so far (for tests and figures). */
  get runCount(): number {
    return this.files.length;
  }

  add(term: number, doc: number, tf: number): void {
    if (this.length === this.capacity) this.flush();
    const i = this.length++;
    this.terms[i] = term;
    this.docs[i] = doc;
    this.tfs[i] = tf;
    if (term > this.maxTerm) this.maxTerm = term;
    this.count++;
  }

  /** Writes the buffered postings as the next run, sorted by term (a counting sort: docs stay in order). */
  private flush(): void {
    if (this.length === 0) return;
    const n = this.length;
    const starts = new Uint32Array(this.maxTerm + 2);
    for (let i = 0; i < n; i++) {
      const t = (this.terms[i] ?? 0) + 1;
      starts[t] = (starts[t] ?? 0) + 1;
    }
    for (let t = 1; t < starts.length; t++) starts[t] = (starts[t] ?? 0) + (starts[t - 1] ?? 0);
    const next = starts.slice(0, -1);
    for (let i = 0; i < n; i++) {
      const t = this.terms[i] ?? 0;
      const k = next[t] ?? 0;
      this.order[k] = i;
      next[t] = k + 1;
    }
    const path = join(this.dir, `run-${this.files.length}`);
    const fd = openSync(path, 'w', 0o600);
    try {
      const out = new ChunkWriter(fd);
      let prevTerm = 0;
      for (let t = 0; t <= this.maxTerm; t++) {
        const from = starts[t] ?? 0;
        const to = starts[t + 1] ?? 0;
        if (from === to) continue;
        out.varint(t - prevTerm);
        out.varint(to - from);
        prevTerm = t;
        let prev = 0;
        for (let k = from; k < to; k++) {
          const i = this.order[k] ?? 0;
          const d = this.docs[i] ?? 0;
          out.varint(d - prev);
          out.varint(this.tfs[i] ?? 0);
          prev = d;
        }
      }
      out.end();
    } finally {
      closeSync(fd);
    }
    this.files.push(path);
    this.length = 0;
    this.maxTerm = -1;
  }

  /**
   * Calls `visit` once for each term below `terms` that has postings, in term order, with all of them in doc
   * order (`docs`/`tfs` hold `n`; valid until the next call). The buffer is written as the last run first.
   */
  merge(terms: number, visit: (term: number, docs: Uint32Array, tfs: Uint16Array, n: number) => void): void {
    this.flush();
    // The buffer's memory is not needed again: the list of one term is gathered into small arrays instead.
    this.terms = this.docs = this.order = new Uint32Array(0);
    this.tfs = new Uint16Array(0);
    const size = Math.min(
      MAX_READ,
      Math.max(MIN_READ, Math.floor((64 << 20) / Math.max(1, this.files.length))),
    );
    const readers = this.files.map((path) => new RunReader(path, size));
    let docs = new Uint32Array(1024);
    let tfs = new Uint16Array(1024);
    try {
      for (let t = 0; t < terms; t++) {
        let n = 0;
        for (const r of readers) {
          if (r.term !== t) continue;
          const count = r.count;
          if (n + count > docs.length) {
            const grown = Math.max(n + count, docs.length * 2);
            const d2 = new Uint32Array(grown);
            d2.set(docs.subarray(0, n));
            docs = d2;
            const f2 = new Uint16Array(grown);
            f2.set(tfs.subarray(0, n));
            tfs = f2;
          }
          let prev = 0;
          for (let k = 0; k < count; k++) {
            prev += r.varint();
            docs[n] = prev;
            tfs[n++] = r.varint();
          }
          r.nextTerm();
        }
        if (n > 0) visit(t, docs, tfs, n);
      }
    } finally {
      for (const r of readers) r.close();
    }
  }

  /** Removes the folder and everything in it (a spilled file opened before stays readable until closed). */
  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Buffered sequential writes of varints to a file. */
class ChunkWriter {
  private readonly buf = new Uint8Array(1 << 20);
  private at = 0;
  private position = 0;

  constructor(private readonly fd: number) {}

  varint(value: number): void {
    if (this.at + 5 > this.buf.length) this.drain();
    let v = value;
    while (v > 127) {
      this.buf[this.at++] = (v & 127) | 128;
      v >>>= 7;
    }
    this.buf[this.at++] = v;
  }

  end(): void {
    this.drain();
  }

  private drain(): void {
    writeFully(this.fd, this.buf.subarray(0, this.at), this.position);
    this.position += this.at;
    this.at = 0;
  }
}

/** One run read front to back through a buffer: `term` and `count` describe the list it stands before. */
class RunReader {
  /** The next term with postings in this run; -1 once the run is spent. */
  term = -1;
  count = 0;
  private readonly fd: number;
  private readonly buf: Uint8Array;
  private at = 0;
  private end = 0;
  private position = 0;
  private readonly size: number;

  constructor(path: string, bufferBytes: number) {
    this.fd = openSync(path, 'r');
    this.buf = new Uint8Array(bufferBytes);
    this.size = fstatSync(this.fd).size;
    this.nextTerm();
  }

  /** Moves to the next term's list (after its postings have been read). */
  nextTerm(): void {
    if (this.position >= this.size && this.at >= this.end) {
      this.term = -1;
      return;
    }
    this.term = (this.term < 0 ? 0 : this.term) + this.varint();
    this.count = this.varint();
  }

  varint(): number {
    let b = this.byte();
    let v = b & 127;
    for (let shift = 7; b > 127; shift += 7) {
      b = this.byte();
      v |= (b & 127) << shift;
    }
    return v >>> 0;
  }

  private byte(): number {
    if (this.at === this.end) {
      const n = Math.min(this.buf.length, this.size - this.position);
      if (n <= 0 || !readFully(this.fd, this.buf.subarray(0, n), this.position))
        throw new Error(`posting run cut short at byte ${this.position}`);
      this.position += n;
      this.at = 0;
      this.end = n;
    }
    return this.buf[this.at++] as number;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * A file written front to back in pieces of whole BLOCKs (the last may be shorter), checksummed per BLOCK as
 * the snapshot sections are, then opened as a paged section that reads it back from the page cache.
 * @example const f = new SpillFile(path); f.write(bytes); const paged = f.finish();
 */
export class SpillFile {
  private readonly fd: number;
  private position = 0;
  private readonly crcs: number[] = [];
  private done = false;

  constructor(private readonly path: string) {
    this.fd = openSync(path, 'w+', 0o600);
  }

  /** Appends `bytes`: a multiple of BLOCK long, except for the last piece. */
  write(bytes: Uint8Array): void {
    if (this.done || this.position % BLOCK !== 0) throw new Error('SpillFile: a piece after a partial block');
    for (let b = 0; b < bytes.byteLength; b += BLOCK) this.crcs.push(crc32(bytes.subarray(b, b + BLOCK)));
    writeFully(this.fd, bytes, this.position);
    this.position += bytes.byteLength;
  }

  /** The written bytes as a paged section (every block known good: checked again only if asked). */
  finish(): PagedBytes {
    this.done = true;
    closeSync(this.fd);
    const src = fileSource(this.path);
    const paged = new PagedBytes(src, 0, this.position, Uint32Array.from(this.crcs), true);
    src.release(); // the section holds the file open from here on
    return paged;
  }
}
