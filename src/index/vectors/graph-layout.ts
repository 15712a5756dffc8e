// A saved HNSW graph file rewritten with its nodes in neighbourhood order, so a search touches fewer pages of it.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { createRng } from '../embedders/static/random.ts';
import { readFully, writeFileAtomically, writeFully } from '../file-bytes.ts';

/*
 * usearch (2.x) saves a dense index as: u32 rows | u32 bytes per row | the rows' vectors in slot order | a 64-byte
 * head ("usearch", version, metric, scalar, key and slot kinds, counts) | the graph header (five u64: size,
 * connectivity, base connectivity, max level, entry slot) | one i16 level per slot | the nodes in slot order, each
 * u64 key | i16 level | level 0's neighbour count (u32) and base-connectivity slots (u32) | for each upper level,
 * its count and connectivity slots. Neighbours are slot numbers, so the file can be permuted: nodes (with their
 * vectors and levels) moved to new slots and every neighbour slot and the entry slot renumbered. The edges stay the
 * same edges, so searches give the same answers; only where each node sits in the file changes.
 *
 * A graph built by inserting rows in arrival order puts a node's neighbours anywhere in the file: each hop of a
 * search on a mapped graph then faults a page of its own. Laid out in the order of a random-projection tree over
 * the vectors, most of a node's neighbours sit within a few pages of it (docs/BENCHMARKS.md "#23 the HNSW graph
 * file relaid by neighbourhood").
 */

const HEAD_BYTES = 64;
const GRAPH_HEADER_BYTES = 40;
const MAGIC = 'usearch';
/** usearch's scalar_kind_t values this file knows. */
const KIND = { f32: 11, u32: 15, u64: 14, i8: 23 } as const;
/**
 * Coordinates of a tree direction (a sparse random projection): 64 of 512 laid the 2.7M graph out as well as all
 * 512 (node pages per hop 10.68 against 10.66) at an eighth of the arithmetic.
 */
const PROJECTED_DIMS = 64;
/** Rows projected per read while the tree is built (8,192 × 512 B = 4 MiB of int8 rows). */
const CHUNK_ROWS = 8192;
/** The part of the relaid file filled per pass over the old one (each pass reads the old section whole). */
const WINDOW_BYTES = 128 << 20;
/** The old file read this many bytes at a time while a window is filled. */
const READ_BYTES = 16 << 20;
/** Level-0 links sampled to measure how local a layout already is. */
const SAMPLE_NODES = 2048;
/**
 * A layout whose median level-0 link spans less than this share of the file is already in neighbourhood order and
 * is left alone. A graph as built (rows in arrival order) gives about a fifth (measured: the served 2.7M graph
 * 0.196, relaid 0.00003; 3,000 clustered test vectors 0.21, relaid 0.054: a small graph's links reach further).
 */
const LOCAL_ENOUGH = 0.1;

export interface GraphLayoutOptions {
  /** Graphs of fewer nodes are left as saved (their file is small enough to stay in the page cache). Default 100,000. */
  minNodes?: number;
  /** Tree groups of fewer nodes are not split further (default 512, less for graphs under 32,768 nodes). */
  leaf?: number;
  /** Seed of the tree's random directions (default 1), so a layout is reproducible. */
  seed?: number;
  /** Told as the work advances: `done` of `total` units (a tree level or a write pass is one unit per node). */
  onProgress?: (done: number, total: number) => void;
}

/** What `relayoutGraphFile` did: relaid, or why the file was left exactly as it was. */
export type GraphLayoutOutcome =
  | { relaid: true; nodes: number; spanBefore: number; spanAfter: number }
  | { relaid: false; reason: string; span?: number };

/** The parts of a saved graph file this module reads, with every node's place in the file. */
interface ParsedGraph {
  fd: number;
  rows: number;
  rowBytes: number;
  scalar: 'i8' | 'f32';
  vectorsAt: number;
  headAt: number;
  levelsAt: number;
  entry: number;
  base: number;
  connectivity: number;
  levels: Int16Array;
  /** Byte offset of each slot's node; `offsets[rows]` is the file's length. */
  offsets: Float64Array;
}

/** Refusal to touch a file whose layout is not exactly the one this module writes back. */
class UnknownLayout extends Error {}

const nodeBytes = (level: number, base: number, connectivity: number): number =>
  10 + 4 + 4 * base + level * (4 + 4 * connectivity);

/** Reads and checks the head, the graph header and the levels; every size must add up to the file's length. */
function parseGraph(fd: number): ParsedGraph {
  const fileBytes = fstatSync(fd).size;
  const start = Buffer.alloc(8);
  if (fileBytes < 8 || !readFully(fd, start, 0)) throw new UnknownLayout('shorter than its header');
  const rows = start.readUInt32LE(0);
  const rowBytes = start.readUInt32LE(4);
  const headAt = 8 + rows * rowBytes;
  const head = Buffer.alloc(HEAD_BYTES + GRAPH_HEADER_BYTES);
  if (headAt + head.length > fileBytes || !readFully(fd, head, headAt))
    throw new UnknownLayout('vectors run past the end of the file');
  if (head.toString('latin1', 0, MAGIC.length) !== MAGIC)
    throw new UnknownLayout('no usearch head after the vectors');
  const major = head.readUInt16LE(7);
  if (major !== 2) throw new UnknownLayout(`usearch file version ${major}, not 2`);
  const scalarKind = head[14];
  const scalar = scalarKind === KIND.i8 ? 'i8' : scalarKind === KIND.f32 ? 'f32' : null;
  if (scalar === null) throw new UnknownLayout(`vector scalar kind ${scalarKind}`);
  if (head[15] !== KIND.u64 || head[16] !== KIND.u32)
    throw new UnknownLayout('keys not u64 or slots not u32');
  if (head[41] !== 0) throw new UnknownLayout('a multi-vector index');
  const dimensions = Number(head.readBigUInt64LE(33));
  if (rowBytes !== dimensions * (scalar === 'i8' ? 1 : 4))
    throw new UnknownLayout('row width does not match dimensions');
  const g = HEAD_BYTES;
  const size = Number(head.readBigUInt64LE(g));
  const connectivity = Number(head.readBigUInt64LE(g + 8));
  const base = Number(head.readBigUInt64LE(g + 16));
  const entry = Number(head.readBigUInt64LE(g + 32));
  if (size !== rows) throw new UnknownLayout(`graph of ${size} nodes over ${rows} vectors`);
  if (connectivity < 1 || connectivity > 4096 || base < 1 || base > 8192)
    throw new UnknownLayout('connectivity');
  if (rows > 0 && entry >= rows) throw new UnknownLayout('entry slot out of range');
  const levelsAt = headAt + HEAD_BYTES + GRAPH_HEADER_BYTES;
  const levelBytes = Buffer.alloc(2 * rows);
  if (!readFully(fd, levelBytes, levelsAt)) throw new UnknownLayout('levels run past the end of the file');
  const levels = new Int16Array(rows);
  const offsets = new Float64Array(rows + 1);
  offsets[0] = levelsAt + 2 * rows;
  for (let s = 0; s < rows; s++) {
    const level = levelBytes.readInt16LE(2 * s);
    if (level < 0 || level > 64) throw new UnknownLayout(`node ${s} has level ${level}`);
    levels[s] = level;
    offsets[s + 1] = offsets[s]! + nodeBytes(level, base, connectivity);
  }
  if (offsets[rows] !== fileBytes)
    throw new UnknownLayout(`nodes end at byte ${offsets[rows]}, the file at ${fileBytes}`);
  return {
    fd,
    rows,
    rowBytes,
    scalar,
    vectorsAt: 8,
    headAt,
    levelsAt,
    entry,
    base,
    connectivity,
    levels,
    offsets,
  };
}

/**
 * The median distance in slots of a level-0 link, as a share of the node count, over links of evenly spaced nodes:
 * about a fifth for a graph as built, near 0 in neighbourhood order.
 */
function linkSpan(g: ParsedGraph): number {
  const n = g.rows;
  if (n < 2) return 0;
  const picks = Math.min(n, SAMPLE_NODES);
  const list = Buffer.alloc(4 + 4 * g.base);
  const spans: number[] = [];
  for (let i = 0; i < picks; i++) {
    const s = Math.floor((i * n) / picks);
    if (!readFully(g.fd, list, g.offsets[s]! + 10)) throw new UnknownLayout('node cut short');
    const count = Math.min(list.readUInt32LE(0), g.base);
    for (let k = 0; k < count; k++) spans.push(Math.abs(list.readUInt32LE(4 + 4 * k) - s) / n);
  }
  if (spans.length === 0) return 0;
  spans.sort((a, b) => a - b);
  return spans[spans.length >> 1]!;
}

/** `PROJECTED_DIMS` coordinates of an int8 row at `at`, weighted: the projection on a sparse direction. */
function projectI8(a: Int8Array, at: number, dims: Int32Array, weights: Float32Array, from: number): number {
  let sum = 0;
  for (let t = from; t < from + PROJECTED_DIMS; t++) sum += a[at + dims[t]!]! * weights[t]!;
  return sum;
}

/** `projectI8` for float32 rows (apart, so each stays monomorphic: mixed, both ran at half speed). */
function projectF32(
  a: Float32Array,
  at: number,
  dims: Int32Array,
  weights: Float32Array,
  from: number,
): number {
  let sum = 0;
  for (let t = from; t < from + PROJECTED_DIMS; t++) sum += a[at + dims[t]!]! * weights[t]!;
  return sum;
}

/**
 * Slots in the order of a random-projection tree over the file's vectors: each group of nodes is split at the
 * median of its projection on a random direction, breadth first, until groups are smaller than `leaf`. Every
 * level reads the vectors once, front to back, so memory stays a few arrays of one number per node.
 */
function treeOrder(g: ParsedGraph, leaf: number, seed: number, tick: (units: number) => void): Int32Array {
  const n = g.rows;
  const d = g.scalar === 'i8' ? g.rowBytes : g.rowBytes / 4;
  const rng = createRng(seed);
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  /** The group (index into this level's directions) of each slot; -1 once its group is too small to split. */
  const groupOf = new Int32Array(n);
  const proj = new Float64Array(n);
  const chunk = Buffer.allocUnsafeSlow(CHUNK_ROWS * g.rowBytes);
  const asI8 = new Int8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const asF32 = new Float32Array(chunk.buffer, chunk.byteOffset, chunk.byteLength >> 2);
  let groups: [lo: number, hi: number][] = n >= leaf ? [[0, n]] : [];
  const scratch = new Float64Array(n);
  const coords = Int32Array.from({ length: d }, (_, j) => j);
  const rest = new Int32Array(n);
  while (groups.length > 0) {
    // Each group's direction: normal weights on PROJECTED_DIMS coordinates drawn at random (without repeats).
    const dims = new Int32Array(groups.length * PROJECTED_DIMS);
    const weights = new Float32Array(groups.length * PROJECTED_DIMS);
    for (let gi = 0; gi < groups.length; gi++) {
      // Rows narrower than PROJECTED_DIMS use every coordinate; the rest of the direction weighs nothing.
      for (let t = 0; t < Math.min(d, PROJECTED_DIMS); t++) {
        const other = t + rng.int(d - t);
        [coords[t], coords[other]] = [coords[other]!, coords[t]!];
        dims[gi * PROJECTED_DIMS + t] = coords[t]!;
        weights[gi * PROJECTED_DIMS + t] = rng.normal();
      }
    }
    groupOf.fill(-1);
    groups.forEach(([lo, hi], gi) => {
      for (let i = lo; i < hi; i++) groupOf[perm[i]!] = gi;
    });
    for (let from = 0; from < n; from += CHUNK_ROWS) {
      const to = Math.min(n, from + CHUNK_ROWS);
      if (!readFully(g.fd, chunk.subarray(0, (to - from) * g.rowBytes), g.vectorsAt + from * g.rowBytes))
        throw new UnknownLayout('vectors cut short');
      for (let s = from; s < to; s++) {
        const gi = groupOf[s]!;
        if (gi < 0) continue;
        const at = (s - from) * d;
        const dir = gi * PROJECTED_DIMS;
        proj[s] =
          g.scalar === 'i8'
            ? projectI8(asI8, at, dims, weights, dir)
            : projectF32(asF32, at, dims, weights, dir);
      }
    }
    const next: [number, number][] = [];
    for (const [lo, hi] of groups) {
      const values = scratch.subarray(lo, hi);
      for (let i = lo; i < hi; i++) values[i - lo] = proj[perm[i]!]!;
      values.sort();
      const median = values[(hi - lo) >> 1]!;
      const half = lo + ((hi - lo) >> 1);
      let left = lo;
      let right = 0;
      for (let i = lo; i < hi; i++) {
        const s = perm[i]!;
        if (proj[s]! < median && left < half) perm[left++] = s;
        else rest[right++] = s;
      }
      perm.set(rest.subarray(0, right), left);
      // A group whose projections all tie stays whole (nothing went left).
      if (left > lo)
        for (const part of [
          [lo, left],
          [left, hi],
        ] as [number, number][])
          if (part[1] - part[0] >= leaf) next.push(part);
    }
    groups = next;
    tick(n);
  }
  return perm;
}

/**
 * Copies records from `g.fd` to `fd` in a new order: record `s` (at `srcAt(s)`, `bytes(s)` long, records contiguous
 * and in slot order from `srcAt(0)`) goes to `dstAt(inv[s])`. The output is filled one window at a time by reading
 * the input front to back, so each record costs no read of its own; `fix` edits each record in its window.
 */
function moveRecords(
  g: ParsedGraph,
  fd: number,
  inv: Int32Array,
  srcAt: (s: number) => number,
  bytes: (s: number) => number,
  dstAt: (j: number) => number,
  fix: (record: Buffer, j: number) => void,
): void {
  const n = g.rows;
  if (n === 0) return;
  const window = Buffer.allocUnsafeSlow(WINDOW_BYTES);
  const input = Buffer.allocUnsafeSlow(READ_BYTES);
  for (let ja = 0; ja < n; ) {
    // The window's records: as many whole ones as fit (at least one).
    const w0 = dstAt(ja);
    let jb = ja + 1;
    while (jb < n && dstAt(jb + 1) - w0 <= WINDOW_BYTES) jb++;
    const w1 = dstAt(jb);
    const out = w1 - w0 <= WINDOW_BYTES ? window.subarray(0, w1 - w0) : Buffer.alloc(w1 - w0);
    for (let sa = 0; sa < n; ) {
      const from = srcAt(sa);
      let sb = sa + 1;
      while (sb < n && srcAt(sb + 1) - from <= READ_BYTES) sb++;
      const chunk =
        srcAt(sb) - from <= READ_BYTES ? input.subarray(0, srcAt(sb) - from) : Buffer.alloc(srcAt(sb) - from);
      if (!readFully(g.fd, chunk, from)) throw new UnknownLayout('file cut short');
      for (let s = sa; s < sb; s++) {
        const j = inv[s]!;
        if (j < ja || j >= jb) continue;
        const at = srcAt(s) - from;
        chunk.copy(out, dstAt(j) - w0, at, at + bytes(s));
      }
      sa = sb;
    }
    for (let j = ja; j < jb; j++) fix(out.subarray(dstAt(j) - w0, dstAt(j + 1) - w0), j);
    writeFully(fd, out, w0);
    ja = jb;
  }
}

/** Writes the permuted file: vectors, head, levels and nodes in the new slot order, neighbours renumbered. */
function writePermuted(g: ParsedGraph, perm: Int32Array, fd: number, tick: (units: number) => void): void {
  const n = g.rows;
  const inv = new Int32Array(n);
  for (let j = 0; j < n; j++) inv[perm[j]!] = j;
  const start = Buffer.alloc(8);
  start.writeUInt32LE(n, 0);
  start.writeUInt32LE(g.rowBytes, 4);
  writeFully(fd, start, 0);
  const row = (s: number): number => g.vectorsAt + s * g.rowBytes;
  moveRecords(
    g,
    fd,
    inv,
    row,
    () => g.rowBytes,
    row,
    () => undefined,
  );
  tick(n);
  const head = Buffer.alloc(HEAD_BYTES + GRAPH_HEADER_BYTES);
  if (!readFully(g.fd, head, g.headAt)) throw new UnknownLayout('head cut short');
  if (n > 0) head.writeBigUInt64LE(BigInt(inv[g.entry]!), HEAD_BYTES + 32);
  writeFully(fd, head, g.headAt);
  const levels = Buffer.alloc(2 * n);
  const dst = new Float64Array(n + 1);
  dst[0] = g.offsets[0]!;
  for (let j = 0; j < n; j++) {
    const level = g.levels[perm[j]!]!;
    levels.writeInt16LE(level, 2 * j);
    dst[j + 1] = dst[j]! + nodeBytes(level, g.base, g.connectivity);
  }
  writeFully(fd, levels, g.levelsAt);
  const renumber = (node: Buffer, j: number): void => {
    const level = g.levels[perm[j]!]!;
    if (node.readInt16LE(8) !== level)
      throw new UnknownLayout(`node ${perm[j]}'s level differs from the level table`);
    let list = 10;
    for (let l = 0; l <= level; l++) {
      const cap = l === 0 ? g.base : g.connectivity;
      const count = node.readUInt32LE(list);
      if (count > cap) throw new UnknownLayout(`node ${perm[j]} lists ${count} neighbours, more than ${cap}`);
      for (let k = 0; k < count; k++) {
        const p = list + 4 + 4 * k;
        const to = node.readUInt32LE(p);
        if (to >= n) throw new UnknownLayout(`node ${perm[j]} links to slot ${to} of ${n}`);
        node.writeUInt32LE(inv[to]!, p);
      }
      list += 4 + 4 * cap;
    }
  };
  moveRecords(
    g,
    fd,
    inv,
    (s) => g.offsets[s]!,
    (s) => g.offsets[s + 1]! - g.offsets[s]!,
    (j) => dst[j]!,
    renumber,
  );
  tick(n);
  if (dst[n] !== g.offsets[n]) throw new UnknownLayout(`nodes end at ${dst[n]}, not ${g.offsets[n]}`);
}

/** Errors of a full disk: the file stays as saved (a layout is an optimisation) and the caller goes on. */
const SPACE_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);

/**
 * Rewrites the usearch graph file at `path` in neighbourhood order (same edges, same answers, fewer pages touched
 * per search), replacing it atomically. The file is left exactly as it was when it is small, already local, not
 * in the one layout this reads (checked whole first: version, kinds, and every size adding up to its length),
 * or when the disk fills while the new copy is written; the outcome says which.
 * @example const r = relayoutGraphFile('snap/vectors.bin.hnsw'); if (r.relaid) console.log(r.spanBefore, r.spanAfter);
 */
export function relayoutGraphFile(path: string, opts: GraphLayoutOptions = {}): GraphLayoutOutcome {
  const fd = openSync(path, 'r');
  try {
    return relayout(fd, path, opts);
  } catch (err) {
    if (err instanceof UnknownLayout) return { relaid: false, reason: `unknown layout: ${err.message}` };
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== undefined && SPACE_ERRORS.has(code))
      return { relaid: false, reason: `no room for the relaid copy (${code})` };
    throw err;
  } finally {
    closeSync(fd);
  }
}

/** `relayoutGraphFile` on the open file; an UnknownLayout or a full disk leaves the file as it was. */
function relayout(fd: number, path: string, opts: GraphLayoutOptions): GraphLayoutOutcome {
  const g = parseGraph(fd);
  if (g.rows < (opts.minNodes ?? 100_000)) return { relaid: false, reason: `only ${g.rows} nodes` };
  const spanBefore = linkSpan(g);
  if (spanBefore < LOCAL_ENOUGH)
    return { relaid: false, reason: 'already in neighbourhood order', span: spanBefore };
  // A graph under 64 leaves of 512 (only with `minNodes` lowered) gets smaller leaves, so it is still ordered.
  const leaf = Math.max(2, opts.leaf ?? Math.min(512, Math.max(8, Math.floor(g.rows / 64))));
  const depth = Math.max(1, Math.ceil(Math.log2(g.rows / leaf)) + 1);
  const total = (depth + 2) * g.rows;
  let done = 0;
  const tick = (units: number): void => {
    done = Math.min(total, done + units);
    opts.onProgress?.(done, total);
  };
  const perm = treeOrder(g, leaf, opts.seed ?? 1, tick);
  // The copy is written beside the file and renamed over it; a failure removes the copy.
  writeFileAtomically(path, (out) => writePermuted(g, perm, out, tick));
  opts.onProgress?.(total, total);
  return { relaid: true, nodes: g.rows, spanBefore, spanAfter: graphLinkSpan(path) ?? 0 };
}

/** The median level-0 link span of the graph file at `path` (see `relayoutGraphFile`); null when its layout is unknown. */
export function graphLinkSpan(path: string): number | null {
  const fd = openSync(path, 'r');
  try {
    return linkSpan(parseGraph(fd));
  } catch (err) {
    if (err instanceof UnknownLayout) return null;
    throw err;
  } finally {
    closeSync(fd);
  }
}
