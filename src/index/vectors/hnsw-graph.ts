// An HNSW graph (usearch, native, loaded lazily) over numeric keys, for approximate search on large indexes.
import { rmSync } from 'node:fs';
import { linkOrCopyFile } from '../file-bytes.ts';
import { createRequire } from 'node:module';
import { AppError } from '../../errors.ts';

/** Tuning of the graph; defaults give recall@10 ≥ 0.95 on 256-d paper vectors (see docs/BENCHMARKS.md). */
export interface HnswOptions {
  /** Neighbours per node, M (default 16; 8–64). More: better recall, more memory. */
  connectivity?: number;
  /**
   * Candidate list while inserting, efConstruction (default 64; 32–512). 64 builds in half the CPU of 128 for
   * recall@10 0.987 against 0.990 (100k generated papers; docs/BENCHMARKS.md "#23 HNSW build").
   */
  expansionAdd?: number;
  /** Candidate list while searching, ef (default: `defaultExpansionSearch(size)`; ≥ k). More: better recall, slower. */
  expansionSearch?: number;
  /**
   * Scalar type inside the graph (default 'i8'): a quarter of f32's memory and 3-4x faster to build; the index
   * fetches 3k candidates and rescores them from the stored int8 rows against the float query (docs/BENCHMARKS.md "#23").
   */
  quantization?: 'f32' | 'f16' | 'i8';
}

/** The operations the vector index needs from a graph. */
export interface HnswGraph {
  add(keys: readonly number[], rows: Float32Array): void;
  remove(key: number): void;
  /** Up to k candidate keys, nearest first. */
  search(vec: Float32Array, k: number): number[];
  save(path: string): void;
  load(path: string): void;
  /**
   * Maps a saved graph instead of reading it (nothing is copied into memory); the first change reads it
   * whole from the same file, since a mapped graph is read-only.
   */
  view(path: string): void;
  /** Live (not removed) entries. */
  size(): number;
  /** Whether the graph is mapped from a file (`view`): read-only, a change would first read it whole. */
  mapped(): boolean;
}

interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  remove(keys: bigint): number;
  search(vector: Float32Array, k: number, threads: number): { keys: BigUint64Array; distances: Float32Array };
  size(): number;
  save(path: string): void;
  load(path: string): void;
  view(path: string): void;
}
type UsearchModule = { Index: new (config: Record<string, unknown>) => UsearchIndex };

let usearch: UsearchModule | undefined;

/** Loads the native module on first use, so exact-only deployments never need it. */
function loadUsearch(): UsearchModule {
  if (usearch) return usearch;
  try {
    usearch = createRequire(import.meta.url)('usearch') as UsearchModule;
    return usearch;
  } catch (err) {
    throw new AppError(
      'INTERNAL',
      'The approximate vector index needs the "usearch" package; run `npm install`, or raise approximateAbove to stay exact.',
      [],
      { cause: err },
    );
  }
}

/** Graphs above this many vectors search a wider candidate list: recall at a fixed ef falls as the graph grows. */
const LARGE_GRAPH = 1_000_000;

/**
 * The search candidate list for a graph of `size` vectors: 128, or 192 above a million. Measured on the served
 * snapshots (docs/BENCHMARKS.md "#23 HNSW recall at 2.7M"): tie-aware recall@10 at ef 128 is 0.995 at 300k but
 * 0.972 at 2.7M; 192 gives 0.992 there for +0.15 ms median.
 */
export function defaultExpansionSearch(size: number): number {
  return size > LARGE_GRAPH ? 192 : 128;
}

/**
 * Creates an empty inner-product HNSW graph; `size` (the vectors it is built or opened for) sets the default
 * search breadth. `onRead` is told when a mapped graph is read whole into memory for a change (at 2.7M vectors
 * ~35 s in one native call and ~3.4 GiB of heap: docs/BENCHMARKS.md "first change to a mapped graph"; the vector
 * index keeps its changes in a side graph instead, so this is a guard).
 * @example const g = createHnswGraph(256); g.add([1, 2], rows); g.search(query, 10);
 */
export function createHnswGraph(
  dimension: number,
  opts: HnswOptions = {},
  size = 0,
  onRead?: (file: string, ms: number) => void,
): HnswGraph {
  const { Index } = loadUsearch();
  const make = (): UsearchIndex =>
    new Index({
      dimensions: dimension,
      metric: 'ip',
      quantization: opts.quantization ?? 'i8',
      connectivity: opts.connectivity ?? 16,
      expansion_add: opts.expansionAdd ?? 64,
      expansion_search: opts.expansionSearch ?? defaultExpansionSearch(size),
      multi: false,
    });
  let index = make();
  /** The file a mapped (read-only) graph comes from; null once the graph is in memory. */
  let viewed: string | null = null;
  const writable = (): UsearchIndex => {
    if (viewed !== null) {
      const started = performance.now();
      const full = make();
      full.load(viewed);
      index = full;
      onRead?.(viewed, performance.now() - started);
      viewed = null;
    }
    return index;
  };
  return {
    add: (keys, rows) => {
      if (keys.length > 0)
        writable().add(
          BigUint64Array.from(keys, (k) => BigInt(k)),
          rows,
          0,
        );
    },
    remove: (key) => void writable().remove(BigInt(key)),
    search: (vec, k) => {
      if (index.size() === 0) return [];
      return Array.from(index.search(vec, Math.min(k, index.size()), 1).keys, (key) => Number(key));
    },
    size: () => index.size(),
    mapped: () => viewed !== null,
    // A mapped graph is saved as the file it maps (the native save would read it through the mapping): a hard link
    // (snapshot files are never written in place once saved; a relayout writes a copy and renames it over), else a
    // copy; saved onto that same file it is already there, and writing the mapped file from itself crashes the
    // process. The graph then names the new path as its file: the generation it was mapped from is pruned after
    // a few saves, and a later save from that path failed (ENOENT) for as long as the process ran.
    save: (path) => {
      if (viewed === path) return;
      // A file already at `path` may be another generation's link: replaced, never written through.
      if (viewed === null) {
        rmSync(path, { force: true });
        index.save(path);
      } else {
        linkOrCopyFile(viewed, path);
        viewed = path;
      }
    },
    load: (path) => {
      index.load(path);
      viewed = null;
    },
    view: (path) => {
      index.view(path);
      viewed = path;
    },
  };
}
