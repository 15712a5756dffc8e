// Vectors as int8 codes (a float scale per row) by paper id: in one contiguous Int8Array, or read in place from a sidecar file with the changes since beside it.
import { AppError } from '../../errors.ts';
import type { ScoredId } from '../../domain/scored.ts';
import { dequantizeRow, int8Dot, quantizeRow } from './int8-rows.ts';
import { packStrings } from '../string-table.ts';
import type { PagedBytes } from '../snapshot-sections.ts';
import { openSidecar, writeSidecar, type GraphRecord, type OpenedSidecar } from './sidecar-file.ts';
import { createTopK } from './top-k.ts';

/** Rows read at once by an exact scan of an opened sidecar, or copied at once by a save (2,048 × 512 B = 1 MiB). */
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
 * score is the float query against the coded row. In memory a removal moves the last row into the hole; over an
 * opened sidecar it masks the row (see `openedStore`).
 */
export interface VectorStore {
  readonly dimension: number;
  readonly size: number;
  /** True while the rows are read from an opened sidecar file (rows changed since held beside it), not the heap. */
  readonly inPlace: boolean;
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
  /**
   * Every entry in slot order, for comparing or building a graph; `codes` and `scales` are views of the live rows,
   * valid until the next change. Rows read in place are read into memory for it (and stay there).
   */
  entries(): CodedRows;
  /** Decodes rows `from` to `to` (slots of `entries`) into floats, for building a graph a slice at a time. */
  decodeRows(from: number, to: number): Float32Array;
  /**
   * Writes the rows as a sidecar at `path` (atomically; see `writeSidecar`), streamed from where they lie: rows read
   * in place are copied from their file a run at a time, never gathered in the heap.
   */
  write(path: string, head: { model: string; graph: GraphRecord | null }): void;
  /** Rows removed, replaced or put since the file the rows are read from was opened (0 for rows in memory). */
  readonly changedRows: number;
  /**
   * For rows read in place: what changed since their file, copied, for writing a new file elsewhere
   * (`writeRowsOver`); from then on the store notes which of the rows live now are removed, for `rebase`. Null for
   * rows in memory or unchanged.
   */
  rowChanges(): RowChanges | null;
  /**
   * The same rows read in place from `file`, written from the last `rowChanges` (what was live then): the rows put
   * since carried over with their keys, those removed since masked. Null when it cannot follow: no `rowChanges`
   * was asked, the rows were read whole since, or the file does not hold what was live then.
   */
  rebase(file: OpenedSidecar): VectorStore | null;
}

/** What changed in a store read in place since its file was opened (`VectorStore.rowChanges`). */
export interface RowChanges {
  /** One byte per row of the file: 1 where the row was removed or replaced since; null when none was. */
  gone: Uint8Array | null;
  /** The rows put since, in slot order (copies). */
  added: CodedRows;
}

/**
 * Creates an empty store; `restore` refills it from saved entries (keys keep counting from `nextKey`). An opened
 * sidecar is answered in place: its ids and keys looked up in its tables and each row's codes read from the file
 * as it is scored, so they sit in the page cache shared by every process, not in this heap; rows added since sit
 * in memory beside it and rows removed are masked. `onMaterialize` is told when such rows are read whole into the
 * heap after all (only `entries` and `decodeRows` do: a graph built over them).
 * @example const s = createVectorStore(256); s.put('2503.11677', vec); s.scan(query, 10);
 */
export function createVectorStore(
  dimension: number,
  restore?: { ids: string[]; keys: number[]; data: Float32Array } | CodedRows | OpenedSidecar,
  onMaterialize?: (ms: number) => void,
): VectorStore {
  if (restore !== undefined && 'keyOrder' in restore) return openedStore(dimension, restore, onMaterialize);
  return memoryStore(dimension, restore);
}

/** A store whose rows are all in this heap. Keys count on from the largest restored key, or `firstKey`. */
function memoryStore(
  dimension: number,
  restore?: { ids: string[]; keys: number[]; data: Float32Array } | CodedRows,
  firstKey = 1,
  owned = false,
): VectorStore {
  const d = dimension;
  const ids: string[] = restore ? (owned ? restore.ids : [...restore.ids]) : [];
  const keys: number[] = restore ? (owned ? restore.keys : [...restore.keys]) : [];
  let codes: Int8Array;
  let scales: Float32Array;
  if (restore && 'codes' in restore) {
    codes = owned ? restore.codes : Int8Array.from(restore.codes);
    scales = owned ? restore.scales : Float32Array.from(restore.scales);
  } else if (restore) {
    // Float rows (an older sidecar, or a caller's own) are coded once here.
    codes = new Int8Array(restore.ids.length * d);
    scales = new Float32Array(restore.ids.length);
    for (let s = 0; s < restore.ids.length; s++)
      scales[s] = quantizeRow(restore.data.subarray(s * d, (s + 1) * d), codes, s * d);
  } else {
    codes = new Int8Array(1024 * d);
    scales = new Float32Array(1024);
  }
  const slotOf = new Map(ids.map((id, i) => [id, i]));
  const idByKey = new Map(keys.map((k, i) => [k, ids[i]!]));
  let nextKey = keys.reduce((m, k) => Math.max(m, k + 1), firstKey);
  const dot = (slot: number, vec: Float32Array): number => int8Dot(vec, codes, slot * d, scales[slot]!, d);
  const grow = (rows: number): void => {
    const nextCodes = new Int8Array(rows * d);
    nextCodes.set(codes.subarray(0, Math.min(codes.length, rows * d)));
    const nextScales = new Float32Array(rows);
    nextScales.set(scales.subarray(0, Math.min(scales.length, rows)));
    codes = nextCodes;
    scales = nextScales;
  };
  const decode = (slot: number, out: Float32Array, offset: number): void =>
    dequantizeRow(codes, slot * d, scales[slot]!, d, out, offset);
  return {
    dimension,
    inPlace: false,
    get size() {
      return ids.length;
    },
    keyOf: (id) => {
      const s = slotOf.get(id);
      return s === undefined ? undefined : keys[s];
    },
    idOfKey: (key) => idByKey.get(key),
    get: (id) => {
      const s = slotOf.get(id);
      if (s === undefined) return undefined;
      const out = new Float32Array(d);
      decode(s, out, 0);
      return out;
    },
    copyTo: (id, out, offset) => {
      const s = slotOf.get(id);
      if (s === undefined) return false;
      decode(s, out, offset);
      return true;
    },
    reserve(rows) {
      if (rows > scales.length) grow(rows);
    },
    put(id, vec) {
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
    readAhead: () => false,
    pagedSections: () => [],
    score: (id, vec) => {
      const s = slotOf.get(id);
      return s === undefined ? Number.NaN : dot(s, vec);
    },
    scoreMany(wanted, vec) {
      const out = new Float64Array(wanted.length);
      for (let i = 0; i < wanted.length; i++) {
        const s = slotOf.get(wanted[i]!);
        out[i] = s === undefined ? Number.NaN : dot(s, vec);
      }
      return out;
    },
    scan(vec, k, filter) {
      const top = createTopK(k);
      for (let s = 0; s < ids.length; s++)
        if (filter === undefined || filter(ids[s]!)) top.push(s, dot(s, vec));
      return top.sorted().map(([s, score]): ScoredId => [ids[s]!, score]);
    },
    // Views of the rows, not copies: callers use them at once, before any change.
    entries: () => ({
      ids: [...ids],
      keys: [...keys],
      codes: codes.subarray(0, ids.length * d),
      scales: scales.subarray(0, ids.length),
    }),
    decodeRows(from, to) {
      const out = new Float32Array((to - from) * d);
      for (let s = from; s < to; s++) decode(s, out, (s - from) * d);
      return out;
    },
    changedRows: 0,
    rowChanges: () => null,
    rebase: () => null,
    write(path, head) {
      const n = ids.length;
      const live = codes.subarray(0, n * d);
      writeSidecar(path, {
        dimension: d,
        model: head.model,
        count: n,
        ids: packStrings(ids),
        keys: Float64Array.from(keys),
        scales: scales.subarray(0, n),
        codes: [new Uint8Array(live.buffer, live.byteOffset, live.byteLength)],
        graph: head.graph,
      });
    },
  };
}

const isLive = (gone: Uint8Array | null, s: number): boolean => gone === null || gone[s] === 0;

/** Runs [from, to) of a file's rows not `gone`, at most `most` rows each, front to back. */
function* liveRuns(n: number, gone: Uint8Array | null, most: number): Generator<[number, number]> {
  for (let s = 0; s < n; ) {
    if (!isLive(gone, s)) {
      s++;
      continue;
    }
    const from = s;
    while (s < n && s - from < most && isLive(gone, s)) s++;
    yield [from, s];
  }
}

/**
 * The rows of `base` not `gone` and then `extra` as a sidecar written at `path` (see `writeSidecar`): the base rows'
 * codes copied from their file a run at a time, never gathered in the heap. A store read in place saves this way,
 * and a worker thread writes the same file from the store's `rowChanges` (#23: 1.4 GB at 2.7M papers, about 2 s).
 * Returns the rows written.
 */
export function writeRowsOver(
  base: OpenedSidecar,
  changes: { gone: Uint8Array | null; added: CodedRows },
  path: string,
  head: { model: string; graph: GraphRecord | null },
): number {
  const d = base.dimension;
  const n = base.ids.size;
  const { gone, added: extra } = changes;
  if (gone !== null && gone.length !== n)
    throw new AppError('INTERNAL', `Vector rows to save mark ${gone.length} rows gone of ${n}.`);
  const count = n - countGone(gone) + extra.ids.length;
  const keys = new Float64Array(count);
  const scales = new Float32Array(count);
  // New slot of each live base slot (only needed when some are gone).
  const slotAfter = gone === null ? null : new Int32Array(n);
  let j = 0;
  for (let s = 0; s < n; s++) {
    if (!isLive(gone, s)) continue;
    keys[j] = base.keys[s]!;
    scales[j] = base.scales[s]!;
    if (slotAfter !== null) slotAfter[s] = j;
    j++;
  }
  keys.set(extra.keys, j);
  scales.set(extra.scales, j);
  // Base keys in their saved order, then the added rows' (all larger), sorted among themselves.
  const keyOrder = new Uint32Array(count);
  let o = 0;
  for (let i = 0; i < n; i++) {
    const s = base.keyOrder[i]!;
    if (isLive(gone, s)) keyOrder[o++] = slotAfter === null ? s : slotAfter[s]!;
  }
  const tail = Uint32Array.from(extra.keys.keys()).sort((a, b) => extra.keys[a]! - extra.keys[b]!);
  for (const t of tail) keyOrder[o++] = j + t;
  function* codes(): Generator<Uint8Array> {
    for (const [from, to] of liveRuns(n, gone, SCAN_ROWS)) yield base.rows.view(from * d, to * d);
    yield new Uint8Array(extra.codes.buffer, extra.codes.byteOffset, extra.codes.byteLength);
  }
  writeSidecar(path, {
    dimension: d,
    model: head.model,
    count,
    ids: base.ids.packKept((s) => isLive(gone, s), extra.ids),
    keys,
    scales,
    keyOrder,
    codes: codes(),
    graph: head.graph,
  });
  return count;
}

/** What a vector sidecar is written anew from, away from the index that reads it (`VectorIndex.rowsRewrite`). */
export interface RowsRewrite {
  /** The sidecar the rows are read from (its latest name). */
  file: string;
  changes: RowChanges;
  head: { model: string; graph: GraphRecord | null };
}

/**
 * Writes the sidecar `job` describes (its file's rows with the changes applied) to `out`, for a worker thread: the
 * file's row blocks are checked as they are read (damage fails the write), and the file is closed after. Returns
 * the rows written.
 */
export function writeRowsRewrite(job: RowsRewrite, out: string): number {
  const file = openSidecar(job.file, { verify: false });
  if (file.kind !== 'opened') throw new AppError('STORE', `${job.file} is not a current vector index file.`);
  try {
    return writeRowsOver(file.opened, job.changes, out, job.head);
  } finally {
    file.opened.rows.close();
  }
}

const countGone = (gone: Uint8Array | null): number => {
  let count = 0;
  if (gone !== null) for (const g of gone) count += g;
  return count;
};

/** Rows carried into a store over a newer file (`rebase`): put after that file's rows were taken, or removed since. */
interface Carried {
  added: CodedRows;
  /** Keys of the file's rows removed since it was taken. */
  removed: readonly number[];
  nextKey: number;
}

/** A copy of rows `keep` picks from `rows` (views valid until the next change). */
function copyRows(rows: CodedRows, d: number, keep: (i: number) => boolean): CodedRows {
  const picked = rows.ids.map((_, i) => i).filter(keep);
  const codes = new Int8Array(picked.length * d);
  picked.forEach((i, j) => codes.set(rows.codes.subarray(i * d, (i + 1) * d), j * d));
  return {
    ids: picked.map((i) => rows.ids[i]!),
    keys: picked.map((i) => rows.keys[i]!),
    codes,
    scales: Float32Array.from(picked, (i) => rows.scales[i]!),
  };
}

/**
 * A store over an opened sidecar (see `createVectorStore`). Its rows ("base") are never changed in place: a row
 * removed or replaced is marked gone (one byte per base row), and rows put since live in a small memory store whose
 * keys start past every base key, so a key says where its row is. Slots, as `entries` and `write` give them, are the
 * base rows still live in file order, then the added rows.
 */
function openedStore(
  dimension: number,
  base: OpenedSidecar,
  onMaterialize?: (ms: number) => void,
  carried?: Carried,
): VectorStore {
  const d = dimension;
  const n = base.ids.size;
  const lastBaseKey = n === 0 ? 0 : (base.keys[base.keyOrder[n - 1] ?? 0] ?? 0);
  /** Rows put since opening (or carried over from the store this one follows, with their keys). */
  const added = memoryStore(d, carried?.added, Math.max(lastBaseKey + 1, carried?.nextKey ?? 0), true);
  let nextAddedKey = Math.max(lastBaseKey + 1, carried?.nextKey ?? 0);
  /** Base rows removed or replaced since opening (1 = gone), made at the first such change. */
  let gone: Uint8Array | null = null;
  let goneCount = 0;
  /** Every row in memory, once `entries` or `decodeRows` asked for them; every call goes there from then on. */
  let whole: VectorStore | null = null;
  /** Since the last `rowChanges`: the keys handed out before it, and those of them removed since. */
  let since: { keyEnd: number; live: number; removed: number[] } | null = null;
  /** A key handed out before the last `rowChanges` is gone: noted for `rebase`. */
  const noteRemoved = (key: number | undefined): void => {
    if (since !== null && key !== undefined && key < since.keyEnd) since.removed.push(key);
  };
  /** The base slot of `id` while that row is live, else -1. */
  const baseSlot = (id: string): number => {
    const s = base.ids.get(id);
    return s === undefined || (gone !== null && gone[s] === 1) ? -1 : s;
  };
  const markGone = (s: number): number => {
    gone ??= new Uint8Array(n);
    gone[s] = 1;
    goneCount++;
    const key = base.keys[s]!;
    noteRemoved(key);
    return key;
  };
  const live = (s: number): boolean => isLive(gone, s);
  const baseSlotOfKey = (key: number): number => {
    let lo = 0;
    let hi = n - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const slot = base.keyOrder[mid] ?? 0;
      const k = base.keys[slot] ?? 0;
      if (k === key) return live(slot) ? slot : -1;
      if (k < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  for (const key of carried?.removed ?? []) {
    const s = baseSlotOfKey(key);
    if (s >= 0) markGone(s);
  }
  // Rows [from, to) of the base as codes and the offset of row `from` in them (a reused buffer).
  let readBuffer: ArrayBufferLike | null = null;
  let readCodes = new Int8Array(0);
  const readRows = (from: number, to: number): number => {
    const bytes = base.rows.view(from * d, to * d);
    if (bytes.buffer !== readBuffer) {
      readBuffer = bytes.buffer;
      readCodes = new Int8Array(bytes.buffer as ArrayBuffer);
    }
    return bytes.byteOffset;
  };
  // The row is read first: `readRows` may replace `readCodes`.
  const dot = (slot: number, vec: Float32Array): number => {
    const at = readRows(slot, slot + 1);
    return int8Dot(vec, readCodes, at, base.scales[slot]!, d);
  };
  const decode = (slot: number, out: Float32Array, offset: number): void => {
    const at = readRows(slot, slot + 1);
    dequantizeRow(readCodes, at, base.scales[slot]!, d, out, offset);
  };
  const materialize = (): VectorStore => {
    if (whole !== null) return whole;
    const started = performance.now();
    const extra = added.entries();
    const count = n - goneCount + extra.ids.length;
    const codes = new Int8Array(count * d);
    const keys: number[] = [];
    const scales = new Float32Array(count);
    const ids: string[] = [];
    let at = 0;
    for (const [from, to] of liveRuns(n, gone, SCAN_ROWS)) {
      const piece = base.rows.view(from * d, to * d);
      codes.set(new Int8Array(piece.buffer, piece.byteOffset, piece.byteLength), at * d);
      for (let s = from; s < to; s++, at++) {
        ids.push(base.ids.at(s));
        keys.push(base.keys[s]!);
        scales[at] = base.scales[s]!;
      }
    }
    codes.set(extra.codes, at * d);
    scales.set(extra.scales, at);
    ids.push(...extra.ids);
    keys.push(...extra.keys);
    // Keys count on past every key handed out, a removed row's too (a key is never given twice).
    whole = memoryStore(d, { ids, keys, codes, scales }, nextAddedKey, true);
    onMaterialize?.(performance.now() - started);
    return whole;
  };
  return {
    dimension,
    get inPlace() {
      return whole === null;
    },
    get size() {
      return whole !== null ? whole.size : n - goneCount + added.size;
    },
    get changedRows() {
      return whole !== null ? 0 : goneCount + added.size;
    },
    keyOf(id) {
      if (whole !== null) return whole.keyOf(id);
      const s = baseSlot(id);
      return s >= 0 ? base.keys[s] : added.keyOf(id);
    },
    idOfKey(key) {
      if (whole !== null) return whole.idOfKey(key);
      if (key > lastBaseKey) return added.idOfKey(key);
      const s = baseSlotOfKey(key);
      return s < 0 ? undefined : base.ids.at(s);
    },
    get(id) {
      if (whole !== null) return whole.get(id);
      const s = baseSlot(id);
      if (s < 0) return added.get(id);
      const out = new Float32Array(d);
      decode(s, out, 0);
      return out;
    },
    copyTo(id, out, offset) {
      if (whole !== null) return whole.copyTo(id, out, offset);
      const s = baseSlot(id);
      if (s < 0) return added.copyTo(id, out, offset);
      decode(s, out, offset);
      return true;
    },
    reserve(rows) {
      if (whole !== null) whole.reserve(rows);
      else added.reserve(rows - (n - goneCount));
    },
    put(id, vec) {
      if (whole !== null) return whole.put(id, vec);
      const s = baseSlot(id);
      const replacedBase = s >= 0 ? markGone(s) : undefined;
      const put = added.put(id, vec);
      noteRemoved(put.replaced);
      nextAddedKey = put.key + 1;
      return replacedBase === undefined ? put : { key: put.key, replaced: replacedBase };
    },
    remove(id) {
      if (whole !== null) return whole.remove(id);
      const s = baseSlot(id);
      if (s >= 0) return markGone(s);
      const key = added.remove(id);
      noteRemoved(key);
      return key;
    },
    // Rows read in place are read from the file as scored: nothing is read into this heap, but checking them
    // ahead means no search pays for a block's first read and check (h27c: 64 KiB per row at first).
    readAhead: (maxBytes) => (whole === null ? base.rows.checkAhead(maxBytes) : false),
    pagedSections: () => (whole === null ? [base.rows] : []),
    score(id, vec) {
      if (whole !== null) return whole.score(id, vec);
      const s = baseSlot(id);
      return s >= 0 ? dot(s, vec) : added.score(id, vec);
    },
    scoreMany(wanted, vec) {
      if (whole !== null) return whole.scoreMany(wanted, vec);
      const out = new Float64Array(wanted.length);
      for (let i = 0; i < wanted.length; i++) {
        const id = wanted[i]!;
        const s = baseSlot(id);
        out[i] = s >= 0 ? dot(s, vec) : added.score(id, vec);
      }
      return out;
    },
    scan(vec, k, filter) {
      if (whole !== null) return whole.scan(vec, k, filter);
      // The base a run of rows per read, leaving them in the file; then the added rows; the best k of both.
      const top = createTopK(k);
      for (const [from, to] of liveRuns(n, gone, SCAN_ROWS)) {
        const at = readRows(from, to);
        for (let s = from; s < to; s++)
          if (filter === undefined || filter(base.ids.at(s)))
            top.push(s, int8Dot(vec, readCodes, at + (s - from) * d, base.scales[s]!, d));
      }
      const hits = top.sorted().map(([s, score]): ScoredId => [base.ids.at(s), score]);
      if (added.size === 0) return hits;
      return [...hits, ...added.scan(vec, k, filter)].sort((a, b) => b[1] - a[1]).slice(0, k);
    },
    entries: () => materialize().entries(),
    decodeRows: (from, to) => materialize().decodeRows(from, to),
    write(path, head) {
      if (whole !== null) return whole.write(path, head);
      writeRowsOver(base, { gone, added: added.entries() }, path, head);
    },
    rowChanges() {
      if (whole !== null || (goneCount === 0 && added.size === 0)) return null;
      since = { keyEnd: nextAddedKey, live: n - goneCount + added.size, removed: [] };
      return {
        gone: gone === null ? null : gone.slice(),
        added: copyRows(added.entries(), d, () => true),
      };
    },
    rebase(file) {
      if (whole !== null || since === null || file.ids.size !== since.live || file.dimension !== d)
        return null;
      const keyEnd = since.keyEnd;
      const rows = added.entries();
      return openedStore(d, file, onMaterialize, {
        added: copyRows(rows, d, (i) => rows.keys[i]! >= keyEnd),
        removed: since.removed,
        nextKey: nextAddedKey,
      });
    },
  };
}
