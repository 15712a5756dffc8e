// Vectors as int8 codes in one contiguous Int8Array (a float scale per row) with id <-> slot maps; exact search scans it.
import type { ScoredId } from '../../domain/scored.ts';
import { dequantizeRow, int8Dot, quantizeRow } from './int8-rows.ts';
import type { PagedBytes } from '../snapshot-sections.ts';
import type { OpenedSidecar } from './sidecar-file.ts';
import { createTopK } from './top-k.ts';

/** Rows read at once by an exact scan of an opened sidecar (2,048 × 512 B = 1 MiB). */
const SCAN_ROWS = 2048;

/** The rows of a store as saved: int8 codes (`dimension` per row) and one scale per row. */
export interface CodedRows {
  ids: string[];
  keys: number[];
  codes: Int8Array;
  scales: Float32Array;
}

/**
 * Dense storage of unit vectors by paper id, scalar-quantized to int8 (a quarter of float32's memory); every
 * score is the float query against the coded row. Removal moves the last row into the hole.
 */
export interface VectorStore {
  readonly dimension: number;
  readonly size: number;
  /** Stable numeric key of each id, for an approximate index built over these vectors. */
  keyOf(id: string): number | undefined;
  idOfKey(key: number): string | undefined;
  /** The stored vector of `id` as floats, decoded from its int8 codes (within scale/2 of what was put). */
  get(id: string): Float32Array | undefined;
  /** Copies the decoded vector of `id` into `out` at `offset` (no allocation); false when absent. */
  copyTo(id: string, out: Float32Array, offset: number): boolean;
  /** Adds or replaces; returns the new key and the key it replaced, if any. */
  put(id: string, vec: Float32Array): { key: number; replaced?: number };
  /** Makes room for `rows` vectors in one allocation, so a known-size bulk load never doubles its buffer. */
  reserve(rows: number): void;
  /** Removes an id; returns its key, or undefined when it was absent. */
  remove(id: string): number | undefined;
  /** Dot product of `vec` with the stored vector of `id` (NaN when absent). */
  score(id: string, vec: Float32Array): number;
  /** `score` of each id, in order (the same bits as `score`). */
  scoreMany(ids: readonly string[], vec: Float32Array): Float64Array;
  /** Exact top k by dot product, over ids the filter allows. */
  scan(vec: Float32Array, k: number, filter?: (id: string) => boolean): ScoredId[];
  /**
   * Checks up to `maxBytes` more of an opened sidecar's rows against their block checksums (the rows stay in the
   * file; the page cache keeps what was read); true while some remain unchecked.
   */
  readAhead(maxBytes: number): boolean;
  /** The rows while they are read from a sidecar file (none once in memory), for checking their blocks elsewhere. */
  pagedSections(): PagedBytes[];
  /** Every entry in slot order, for saving; `codes` and `scales` are views of the live rows, valid until the next change. */
  entries(): CodedRows;
  /** Decodes rows `from` to `to` (slots) into floats, for building a graph a slice at a time. */
  decodeRows(from: number, to: number): Float32Array;
}

/**
 * Creates an empty store; `restore` refills it from saved entries (keys keep counting from `nextKey`).
 * @example const s = createVectorStore(256); s.put('2503.11677', vec); s.scan(query, 10);
 */
export function createVectorStore(
  dimension: number,
  restore?: { ids: string[]; keys: number[]; data: Float32Array } | CodedRows | OpenedSidecar,
  onMaterialize?: (ms: number) => void,
): VectorStore {
  const d = dimension;
  // An opened sidecar is answered in place (ids and keys looked up in its tables, each row's codes read from
  // the file as it is scored, so they sit in the page cache shared by every process, not in this heap) until
  // the first change, which reads the rows into the arrays and maps below.
  let opened: OpenedSidecar | null = restore !== undefined && 'keyOrder' in restore ? restore : null;
  const eager = opened === null ? (restore as Exclude<typeof restore, OpenedSidecar>) : undefined;
  let ids: string[] = eager ? [...eager.ids] : [];
  let keys: number[] = eager ? [...eager.keys] : [];
  let codes: Int8Array;
  let scales: Float32Array;
  if (opened) {
    codes = new Int8Array(0);
    scales = opened.scales;
  } else if (eager && 'codes' in eager) {
    codes = Int8Array.from(eager.codes);
    scales = Float32Array.from(eager.scales);
  } else if (eager) {
    // Float rows (an older sidecar, or a caller's own) are coded once here.
    codes = new Int8Array(eager.ids.length * d);
    scales = new Float32Array(eager.ids.length);
    for (let s = 0; s < eager.ids.length; s++)
      scales[s] = quantizeRow(eager.data.subarray(s * d, (s + 1) * d), codes, s * d);
  } else {
    codes = new Int8Array(1024 * d);
    scales = new Float32Array(1024);
  }
  let slotOf = new Map(ids.map((id, i) => [id, i]));
  let idByKey = new Map(keys.map((k, i) => [k, ids[i]!]));
  let nextKey = keys.reduce((m, k) => Math.max(m, k + 1), 1);
  const materialize = (): void => {
    const o = opened;
    if (o === null) return;
    const started = performance.now();
    const all = o.rows.toMemory();
    codes = new Int8Array(all.buffer as ArrayBuffer, all.byteOffset, all.byteLength);
    ids = o.ids.toArray().slice();
    keys = Array.from(o.keys);
    slotOf = new Map(ids.map((id, i) => [id, i]));
    idByKey = new Map(keys.map((k, i) => [k, ids[i]!]));
    nextKey = keys.reduce((m, k) => Math.max(m, k + 1), 1);
    opened = null;
    onMaterialize?.(performance.now() - started);
  };
  const slotFor = (id: string): number | undefined => {
    if (opened === null) return slotOf.get(id);
    return opened.ids.get(id);
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
  // Rows [from, to) of an opened sidecar as codes and the offset of row `from` in them (a reused buffer).
  let readBuffer: ArrayBufferLike | null = null;
  let readCodes = new Int8Array(0);
  const readRows = (o: OpenedSidecar, from: number, to: number): number => {
    const bytes = o.rows.view(from * d, to * d);
    if (bytes.buffer !== readBuffer) {
      readBuffer = bytes.buffer;
      readCodes = new Int8Array(bytes.buffer as ArrayBuffer);
    }
    return bytes.byteOffset;
  };
  const dot = (slot: number, vec: Float32Array): number => {
    if (opened === null) return int8Dot(vec, codes, slot * d, scales[slot]!, d);
    const at = readRows(opened, slot, slot + 1);
    return int8Dot(vec, readCodes, at, scales[slot]!, d);
  };
  const decode = (slot: number, out: Float32Array, offset: number): void => {
    if (opened === null) return dequantizeRow(codes, slot * d, scales[slot]!, d, out, offset);
    const at = readRows(opened, slot, slot + 1);
    dequantizeRow(readCodes, at, scales[slot]!, d, out, offset);
  };
  /** An exact scan of an opened sidecar, a run of rows per read, leaving the rows in the file. */
  const scanOpened = (o: OpenedSidecar, vec: Float32Array, k: number, filter?: (id: string) => boolean) => {
    const top = createTopK(k);
    const n = o.ids.size;
    for (let from = 0; from < n; from += SCAN_ROWS) {
      const to = Math.min(n, from + SCAN_ROWS);
      const at = readRows(o, from, to);
      for (let s = from; s < to; s++)
        if (filter === undefined || filter(o.ids.at(s)!))
          top.push(s, int8Dot(vec, readCodes, at + (s - from) * d, scales[s]!, d));
    }
    return top.sorted().map(([s, score]): ScoredId => [o.ids.at(s)!, score]);
  };
  const grow = (rows: number): void => {
    const nextCodes = new Int8Array(rows * d);
    nextCodes.set(codes.subarray(0, Math.min(codes.length, rows * d)));
    const nextScales = new Float32Array(rows);
    nextScales.set(scales.subarray(0, Math.min(scales.length, rows)));
    codes = nextCodes;
    scales = nextScales;
  };
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
      if (s === undefined) return undefined;
      const out = new Float32Array(d);
      decode(s, out, 0);
      return out;
    },
    copyTo: (id, out, offset) => {
      const s = slotFor(id);
      if (s === undefined) return false;
      decode(s, out, offset);
      return true;
    },
    reserve(rows) {
      materialize();
      if (rows > scales.length) grow(rows);
    },
    put(id, vec) {
      materialize();
      const key = nextKey++;
      let slot = slotOf.get(id);
      const replaced = slot === undefined ? undefined : keys[slot];
      if (replaced !== undefined) idByKey.delete(replaced);
      if (slot === undefined) {
        slot = ids.length;
        if (slot + 1 > scales.length) grow(Math.max(2 * scales.length, slot + 1));
        ids.push(id);
        keys.push(key);
        slotOf.set(id, slot);
      }
      keys[slot] = key;
      idByKey.set(key, id);
      scales[slot] = quantizeRow(vec, codes, slot * d);
      return replaced === undefined ? { key } : { key, replaced };
    },
    remove(id) {
      materialize();
      const slot = slotOf.get(id);
      if (slot === undefined) return undefined;
      const key = keys[slot]!;
      const last = ids.length - 1;
      if (slot !== last) {
        codes.copyWithin(slot * d, last * d, (last + 1) * d);
        scales[slot] = scales[last]!;
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
    // Rows of an opened sidecar are read from the file as scored: nothing is read into this heap, but checking
    // them ahead means no search pays for a block's first read and check (h27c: 64 KiB per row at first).
    readAhead: (maxBytes) => opened?.rows.checkAhead(maxBytes) ?? false,
    pagedSections: () => (opened === null ? [] : [opened.rows]),
    score: (id, vec) => {
      const s = slotFor(id);
      return s === undefined ? Number.NaN : dot(s, vec);
    },
    scoreMany(wanted, vec) {
      const out = new Float64Array(wanted.length);
      for (let i = 0; i < wanted.length; i++) {
        const s = slotFor(wanted[i]!);
        out[i] = s === undefined ? Number.NaN : dot(s, vec);
      }
      return out;
    },
    scan(vec, k, filter) {
      if (opened !== null) return scanOpened(opened, vec, k, filter);
      const top = createTopK(k);
      for (let s = 0; s < ids.length; s++)
        if (filter === undefined || filter(ids[s]!)) top.push(s, dot(s, vec));
      return top.sorted().map(([s, score]): ScoredId => [ids[s]!, score]);
    },
    // Views of the rows, not copies: callers use them at once (save), before any change.
    entries: () => (
      materialize(),
      {
        ids: [...ids],
        keys: [...keys],
        codes: codes.subarray(0, ids.length * d),
        scales: scales.subarray(0, ids.length),
      }
    ),
    decodeRows(from, to) {
      materialize();
      const out = new Float32Array((to - from) * d);
      for (let s = from; s < to; s++) decode(s, out, (s - from) * d);
      return out;
    },
  };
}
