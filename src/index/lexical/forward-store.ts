// Each document's analyzed term sequence, varint-packed, for phrase checks and for forgetting a removed document.
import type { LazyBytes } from '../snapshot-sections.ts';

/*
 * Document d occupies bytes start[d] .. start[d+1] of `bytes`. Each entry is a varint of termId + 1; a 0
 * marks the end of a field, so a phrase never spans title and abstract. Documents are appended in doc-number
 * order; a removed document's bytes stay until `compact` drops them.
 */

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
  /** While a loaded snapshot's sequences are read on demand (see snapshot-sections.ts). */
  private lazy: LazyBytes | null = null;

  /** Reads up to `maxBytes` more of a lazily loaded snapshot's sequences; true while some remain unread. */
  readAhead(maxBytes: number): boolean {
    const more = this.lazy?.readAhead(maxBytes) ?? false;
    if (!more) this.lazy = null;
    return more;
  }

  /** Reads every sequence of a lazily loaded snapshot (before the bytes are copied or rewritten). */
  ensureAll(): void {
    this.lazy?.ensureAll();
    this.lazy = null;
  }

  /** Bytes in use. */
  get byteLength(): number {
    return this.start[this.count] ?? 0;
  }

  /** Appends the next document: one term-id list per field. */
  append(fields: readonly (readonly number[])[]): void {
    this.ensureAll();
    let pos = this.byteLength;
    let needed = pos;
    for (const f of fields) needed += f.length * 5 + 1;
    if (needed > this.bytes.length) this.bytes = growBytes(this.bytes, needed);
    for (const f of fields) {
      for (const t of f) pos = writeVarint(this.bytes, pos, t + 1);
      this.bytes[pos++] = 0;
    }
    if (this.count + 2 > this.start.length) {
      const next = new Uint32Array(this.start.length * 2);
      next.set(this.start);
      this.start = next;
    }
    this.count++;
    this.start[this.count] = pos;
  }

  /** Decodes document d into `out` (cleared first): term ids with FIELD_BREAK after each field. */
  read(d: number, out: number[]): number[] {
    out.length = 0;
    const end = this.start[d + 1] ?? 0;
    const bytes = this.bytes;
    let p = this.start[d] ?? 0;
    if (this.lazy !== null) {
      this.lazy.ensure(p, end);
      if (this.lazy.complete) this.lazy = null;
    }
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

  /** Keeps only documents with remap[d] >= 0, in order (remap must be monotonic). */
  compact(remap: Int32Array): void {
    this.ensureAll();
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

  /** Replaces the contents with loaded arrays (`start` has count + 1 entries); `lazy` fills `bytes` on demand. */
  load(bytes: Uint8Array, start: Uint32Array, lazy: LazyBytes | null = null): void {
    this.bytes = bytes;
    this.lazy = lazy;
    this.start = start;
    this.count = start.length - 1;
  }
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
