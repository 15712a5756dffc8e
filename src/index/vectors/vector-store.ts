// Vectors in one contiguous Float32Array with id <-> slot maps; exact (brute-force) search scans it.
import type { ScoredId } from '../../domain/scored.ts';
import { createDotSpace, rowDot, type DotSpace } from '../../simd-dot.ts';
import type { OpenedSidecar } from './sidecar-file.ts';
import { createTopK } from './top-k.ts';

/** Dense storage of unit vectors by paper id; removal moves the last row into the hole. */
export interface VectorStore {
  readonly dimension: number;
  readonly size: number;
  /** Stable numeric key of each id, for an approximate index built over these vectors. */
  keyOf(id: string): number | undefined;
  idOfKey(key: number): string | undefined;
  get(id: string): Float32Array | undefined;
  /** Copies the vector of `id` into `out` at `offset` (no allocation); false when absent. */
  copyTo(id: string, out: Float32Array, offset: number): boolean;
  /** Adds or replaces; returns the new key and the key it replaced, if any. */
  put(id: string, vec: Float32Array): { key: number; replaced?: number };
  /** Makes room for `rows` vectors in one allocation, so a known-size bulk load never doubles its buffer. */
  reserve(rows: number): void;
  /** Removes an id; returns its key, or undefined when it was absent. */
  remove(id: string): number | undefined;
  /** Dot product of `vec` with the stored vector of `id` (NaN when absent). */
  score(id: string, vec: Float32Array): number;
  /** `score` of each id, in order, with WebAssembly SIMD where available (the same bits, about twice as fast). */
  scoreMany(ids: readonly string[], vec: Float32Array): Float64Array;
  /** Exact top k by dot product, over ids the filter allows. */
  scan(vec: Float32Array, k: number, filter?: (id: string) => boolean): ScoredId[];
  /** Reads up to `maxBytes` more rows of an opened sidecar; true while some remain unread. */
  readAhead(maxBytes: number): boolean;
  /** Every entry in slot order, for saving and rebuilding; `data` is a view of the live rows, valid until the next change. */
  entries(): { ids: string[]; keys: number[]; data: Float32Array };
}

/**
 * Creates an empty store; `restore` refills it from saved entries (keys keep counting from `nextKey`).
 * @example const s = createVectorStore(256); s.put('2503.11677', vec); s.scan(query, 10);
 */
export function createVectorStore(
  dimension: number,
  restore?: { ids: string[]; keys: number[]; data: Float32Array } | OpenedSidecar,
): VectorStore {
  const d = dimension;
  // An opened sidecar is answered in place (ids and keys looked up in its tables, rows read on demand)
  // until the first change or whole scan, which turns it into the arrays and maps below.
  let opened: OpenedSidecar | null = restore !== undefined && 'keyOrder' in restore ? restore : null;
  const eager =
    opened === null
      ? (restore as { ids: string[]; keys: number[]; data: Float32Array } | undefined)
      : undefined;
  let ids: string[] = eager ? [...eager.ids] : [];
  let keys: number[] = eager ? [...eager.keys] : [];
  // A restored array that owns its whole buffer (as readSidecar returns it) is taken over, not copied.
  let data: Float32Array = opened
    ? new Float32Array(opened.rows.bytes.buffer as ArrayBuffer, 0, opened.rows.bytes.byteLength / 4)
    : eager
      ? eager.data.byteOffset === 0 && eager.data.byteLength === eager.data.buffer.byteLength
        ? eager.data
        : Float32Array.from(eager.data)
      : new Float32Array(1024 * d);
  let slotOf = new Map(ids.map((id, i) => [id, i]));
  let idByKey = new Map(keys.map((k, i) => [k, ids[i]!]));
  let nextKey = keys.reduce((m, k) => Math.max(m, k + 1), 1);
  const materialize = (): void => {
    const o = opened;
    if (o === null) return;
    o.rows.ensureAll();
    ids = o.ids.toArray().slice();
    keys = Array.from(o.keys);
    slotOf = new Map(ids.map((id, i) => [id, i]));
    idByKey = new Map(keys.map((k, i) => [k, ids[i]!]));
    nextKey = keys.reduce((m, k) => Math.max(m, k + 1), 1);
    opened = null;
  };
  const slotFor = (id: string): number | undefined => {
    if (opened === null) return slotOf.get(id);
    const s = opened.ids.get(id);
    if (s === undefined) return undefined;
    // Reads stay lazy: a block read once stays in memory, so rows fill in as searches touch them, without
    // one search paying for reading the whole file (changes and whole scans read it all).
    opened.rows.ensure(s * d * 4, (s + 1) * d * 4);
    return s;
  };
  const keyOfSlot = (s: number): number | undefined => (opened === null ? keys[s] : opened.keys[s]);
  const idOfKeyLazy = (o: OpenedSidecar, key: number): string | undefined => {
    let lo = 0;
    let hi = o.keyOrder.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const slot = o.keyOrder[mid] ?? 0;
      const k = o.keys[slot] ?? 0;
      if (k === key) return o.ids.at(slot);
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const row = (slot: number): Float32Array => data.subarray(slot * d, (slot + 1) * d);
  // Two rows of WebAssembly memory: the query, and each stored row copied in turn next to it.
  let space: DotSpace | null | undefined;
  return {
    dimension,
    get size() {
      return opened === null ? ids.length : opened.ids.size;
    },
    keyOf: (id) => {
      const s = opened === null ? slotOf.get(id) : opened.ids.get(id);
      return s === undefined ? undefined : keyOfSlot(s);
    },
    idOfKey: (key) => (opened === null ? idByKey.get(key) : idOfKeyLazy(opened, key)),
    get: (id) => {
      const s = slotFor(id);
      return s === undefined ? undefined : row(s).slice();
    },
    copyTo: (id, out, offset) => {
      const s = slotFor(id);
      if (s === undefined) return false;
      out.set(row(s), offset);
      return true;
    },
    reserve(rows) {
      materialize();
      if (rows * d > data.length) data = growTo(data, rows * d);
    },
    put(id, vec) {
      materialize();
      const key = nextKey++;
      let slot = slotOf.get(id);
      const replaced = slot === undefined ? undefined : keys[slot];
      if (replaced !== undefined) idByKey.delete(replaced);
      if (slot === undefined) {
        slot = ids.length;
        if ((slot + 1) * d > data.length) data = growTo(data, Math.max(2 * data.length, (slot + 1) * d));
        ids.push(id);
        keys.push(key);
        slotOf.set(id, slot);
      }
      keys[slot] = key;
      idByKey.set(key, id);
      data.set(vec, slot * d);
      return replaced === undefined ? { key } : { key, replaced };
    },
    remove(id) {
      materialize();
      const slot = slotOf.get(id);
      if (slot === undefined) return undefined;
      const key = keys[slot]!;
      const last = ids.length - 1;
      if (slot !== last) {
        data.copyWithin(slot * d, last * d, (last + 1) * d);
        ids[slot] = ids[last]!;
        keys[slot] = keys[last]!;
        slotOf.set(ids[slot]!, slot);
      }
      ids.pop();
      keys.pop();
      slotOf.delete(id);
      idByKey.delete(key);
      return key;
    },
    readAhead: (maxBytes) => opened?.rows.readAhead(maxBytes) ?? false,
    score: (id, vec) => {
      const s = slotFor(id);
      return s === undefined ? Number.NaN : rowDot(vec, 0, data, s * d, d);
    },
    scoreMany(wanted, vec) {
      const out = new Float64Array(wanted.length);
      const simd = (space ??= createDotSpace(2 * d));
      simd?.f32.set(vec, 0);
      for (let i = 0; i < wanted.length; i++) {
        const s = slotFor(wanted[i]!);
        if (s === undefined) out[i] = Number.NaN;
        else if (simd === null) out[i] = rowDot(vec, 0, data, s * d, d);
        else {
          simd.f32.set(row(s), d);
          out[i] = simd.dot(0, d, d);
        }
      }
      return out;
    },
    scan(vec, k, filter) {
      materialize();
      const top = createTopK(k);
      for (let s = 0; s < ids.length; s++)
        if (filter === undefined || filter(ids[s]!)) top.push(s, rowDot(vec, 0, data, s * d, d));
      return top.sorted().map(([s, score]): ScoredId => [ids[s]!, score]);
    },
    // A view of the rows, not a copy: callers use it at once (save, graph build), before any change.
    entries: () => (
      materialize(),
      { ids: [...ids], keys: [...keys], data: data.subarray(0, ids.length * d) }
    ),
  };
}

function growTo(data: Float32Array, length: number): Float32Array {
  const next = new Float32Array(length);
  next.set(data);
  return next;
}
