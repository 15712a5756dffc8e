// Strings numbered densely (paper ids, vocabulary), read in place from a snapshot until first changed.

/*
 * A loaded table is three typed arrays over the snapshot's bytes: `bytes` (the strings' UTF-8, back to back),
 * `starts` (n + 1 byte offsets) and `slots` (an open-addressing hash table of number + 1, 0 = empty, its size
 * a power of two at least twice n). Looking a string up hashes its UTF-8 and compares bytes in place, so
 * opening a snapshot decodes no string and builds no Map. Changes leave those arrays as they are: strings added
 * since are numbered on past them in a small array and Map of their own, and a packed string's lookup dropped by
 * `forget` is masked. (The first change used to decode every string into an array and a Map: 4.2 s of serve's
 * event loop at 2.7M paper ids for the first paper deleted or replaced.)
 */

/** The packed form of a table, as a snapshot stores it. */
export interface PackedStrings {
  bytes: Uint8Array;
  starts: Uint32Array;
  slots: Uint32Array;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** FNV-1a over bytes [from, to): cheap, and spreads short ids and words well enough for linear probing. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193);
  return h >>> 0;
}

/** Slots for n strings: a power of two, at least 2n (probes stay short), at least 2. */
function slotCount(n: number): number {
  let size = 2;
  while (size < 2 * n) size *= 2;
  return size;
}

/**
 * Packs strings (unique among those `keep` allows; later duplicates win) into the snapshot form.
 */
export function packStrings(list: readonly string[], keep?: (i: number) => boolean): PackedStrings {
  const encoded = list.map((s) => encoder.encode(s));
  const starts = new Uint32Array(list.length + 1);
  for (let i = 0; i < list.length; i++) starts[i + 1] = (starts[i] ?? 0) + (encoded[i]?.byteLength ?? 0);
  const bytes = new Uint8Array(starts[list.length] ?? 0);
  encoded.forEach((e, i) => bytes.set(e, starts[i] ?? 0));
  return { bytes, starts, slots: hashSlots(bytes, starts, keep) };
}

/** The lookup table over packed strings (those `keep` allows; of equal strings the later wins). */
function hashSlots(bytes: Uint8Array, starts: Uint32Array, keep?: (i: number) => boolean): Uint32Array {
  const n = starts.length - 1;
  const slots = new Uint32Array(slotCount(n));
  const mask = slots.length - 1;
  for (let i = 0; i < n; i++) {
    if (keep !== undefined && !keep(i)) continue;
    const from = starts[i] ?? 0;
    const to = starts[i + 1] ?? 0;
    for (let s = hashBytes(bytes, from, to) & mask; ; s = (s + 1) & mask) {
      const held = slots[s] ?? 0;
      if (held === 0 || sameBytes(bytes, held - 1, starts, from, to)) {
        slots[s] = i + 1;
        break;
      }
    }
  }
  return slots;
}

/**
 * The strings of `p` that `keep` allows, in order and renumbered densely, then `more`, packed afresh: the kept
 * strings' bytes are copied a run at a time, never decoded (a vector sidecar's 2.7M ids saved without a string each).
 */
export function packKept(
  p: PackedStrings,
  keep: (i: number) => boolean,
  more: readonly string[],
): PackedStrings {
  const n = p.starts.length - 1;
  const added = more.map((s) => encoder.encode(s));
  let kept = 0;
  let length = 0;
  for (let i = 0; i < n; i++)
    if (keep(i)) {
      kept++;
      length += (p.starts[i + 1] ?? 0) - (p.starts[i] ?? 0);
    }
  for (const e of added) length += e.byteLength;
  const bytes = new Uint8Array(length);
  const starts = new Uint32Array(kept + added.length + 1);
  let j = 0;
  let at = 0;
  for (let i = 0; i < n; ) {
    if (!keep(i)) {
      i++;
      continue;
    }
    // A run of kept strings is one copy; their starts shift by the bytes dropped before them.
    const first = i;
    while (i < n && keep(i)) i++;
    const from = p.starts[first] ?? 0;
    const shift = at - from;
    for (let r = first; r < i; r++) starts[++j] = (p.starts[r + 1] ?? 0) + shift;
    bytes.set(p.bytes.subarray(from, p.starts[i] ?? 0), at);
    at = starts[j] ?? 0;
  }
  for (const e of added) {
    bytes.set(e, at);
    at += e.byteLength;
    starts[++j] = at;
  }
  return { bytes, starts, slots: hashSlots(bytes, starts) };
}

function sameBytes(bytes: Uint8Array, j: number, starts: Uint32Array, from: number, to: number): boolean {
  const a = starts[j] ?? 0;
  if ((starts[j + 1] ?? 0) - a !== to - from) return false;
  for (let i = 0; i < to - from; i++) if (bytes[a + i] !== bytes[from + i]) return false;
  return true;
}

/** Room for encoding one looked-up string (grown for longer ones). */
let scratch = new Uint8Array(1024);

/**
 * A dense numbering of strings with lookup by value.
 * @example const t = new StringTable(); t.add('cat'); t.get('cat') // 0
 */
export class StringTable {
  /** Strings numbered in memory: all of them for a table built here; those added since loading for a packed one. */
  private list: string[] = [];
  private byValue = new Map<string, number>();
  private packed: PackedStrings | null = null;
  /** Numbers of packed strings whose lookup `forget` dropped (their numbers stay taken). */
  private forgotten = new Set<number>();

  /** A table read in place from packed arrays (see packStrings); throws on arrays that disagree. */
  static fromPacked(packed: PackedStrings): StringTable {
    const t = new StringTable();
    const n = packed.starts.length - 1;
    const slots = packed.slots.length;
    if (
      n < 0 ||
      slots < 2 * n ||
      (slots & (slots - 1)) !== 0 ||
      (packed.starts[n] ?? 0) !== packed.bytes.byteLength
    )
      throw new RangeError('string table sections disagree');
    t.packed = packed;
    return t;
  }

  /** How many strings the packed arrays hold (0 for a table built in memory): numbers below it are theirs. */
  private get packedCount(): number {
    return this.packed === null ? 0 : this.packed.starts.length - 1;
  }

  /** Strings numbered so far (in a document table, dead documents' ids too until compaction). */
  get size(): number {
    return this.packedCount + this.list.length;
  }

  /** The string numbered i ('' when out of range). */
  at(i: number): string {
    const p = this.packed;
    const n = this.packedCount;
    if (p === null || i >= n) return this.list[i - n] ?? '';
    if (i < 0) return '';
    return decoder.decode(p.bytes.subarray(p.starts[i] ?? 0, p.starts[i + 1] ?? 0));
  }

  /** The number of `value`, or undefined. */
  get(value: string): number | undefined {
    const mine = this.byValue.get(value);
    if (mine !== undefined || this.packed === null) return mine;
    const i = this.packedGet(this.packed, value);
    return i === undefined || this.forgotten.has(i) ? undefined : i;
  }

  private packedGet(p: PackedStrings, value: string): number | undefined {
    if (scratch.length < value.length * 3) scratch = new Uint8Array(value.length * 3);
    const len = encoder.encodeInto(value, scratch).written;
    const mask = p.slots.length - 1;
    for (let s = hashBytes(scratch, 0, len) & mask; ; s = (s + 1) & mask) {
      const held = p.slots[s] ?? 0;
      if (held === 0) return undefined;
      const from = p.starts[held - 1] ?? 0;
      if ((p.starts[held] ?? 0) - from === len && sameAs(p.bytes, from, len)) return held - 1;
    }
  }

  has(value: string): boolean {
    return this.get(value) !== undefined;
  }

  /** Numbers `value` as the next string (a later lookup finds this number) and returns it. */
  add(value: string): number {
    // A packed string of the same value is no longer found, even once this one is forgotten (as a Map would have it).
    if (this.packed !== null) {
      const shadowed = this.packedGet(this.packed, value);
      if (shadowed !== undefined) this.forgotten.add(shadowed);
    }
    const i = this.size;
    this.list.push(value);
    this.byValue.set(value, i);
    return i;
  }

  /** Drops `value`'s lookup when it points at number i (a removed document); its number stays taken. */
  forget(value: string, i: number): void {
    if (this.byValue.get(value) === i) this.byValue.delete(value);
    else if (this.packed !== null && i < this.packedCount && this.get(value) === i) this.forgotten.add(i);
  }

  /** Every string in number order (a copy when packed). */
  toArray(): string[] {
    return this.packed === null ? this.list : Array.from({ length: this.size }, (_, i) => this.at(i));
  }

  /** The packed form for a snapshot: the loaded arrays themselves when nothing changed since loading. */
  pack(keep?: (i: number) => boolean): PackedStrings {
    const unchanged = this.packed !== null && this.list.length === 0 && this.forgotten.size === 0;
    return unchanged && keep === undefined ? this.packed! : packStrings(this.toArray(), keep);
  }

  /**
   * The strings `keep` allows, renumbered densely in order, then `more`, packed afresh (see `packKept`; a table in
   * memory packs its list).
   */
  packKept(keep: (i: number) => boolean, more: readonly string[]): PackedStrings {
    const n = this.packedCount;
    const added = this.list.filter((_, j) => keep(n + j));
    if (this.packed !== null) return packKept(this.packed, keep, [...added, ...more]);
    return packStrings([...added, ...more]);
  }
}

function sameAs(bytes: Uint8Array, from: number, len: number): boolean {
  for (let i = 0; i < len; i++) if (bytes[from + i] !== scratch[i]) return false;
  return true;
}
