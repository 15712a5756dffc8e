// The in-process vector index over int8 rows: exact scan while small, HNSW above a size, incremental, saved to a sidecar file.
import { existsSync, rmSync, statSync } from 'node:fs';
import { linkOrCopyFile } from '../file-bytes.ts';
import type { FileChecksum } from '../file-checksum-worker.ts';
import type { PagedBytes } from '../snapshot-sections.ts';
import type { ScoredId } from '../../domain/scored.ts';
import { AppError } from '../../errors.ts';
import { relayoutGraphFile, type GraphLayoutOptions, type GraphLayoutOutcome } from './graph-layout.ts';
import { createHnswGraph, type HnswGraph, type HnswOptions } from './hnsw-graph.ts';
import { fileChecksum, openSidecar, type GraphRecord, type OpenedSidecar } from './sidecar-file.ts';
import { createVectorStore, type CodedRows, type RowsRewrite, type VectorStore } from './vector-store.ts';

/** Rows decoded per graph insert batch while building (16k × 512 floats = 32 MB). */
const GRAPH_SLICE = 16_384;

export interface VectorIndexOptions {
  dimension: number;
  /** Above this many vectors search goes through HNSW; at or below it is exact (default 10,000, where an exact scan of 256-d vectors takes a few ms; 0 = always HNSW). */
  approximateAbove?: number;
  /** With a filter, HNSW fetches k × this many candidates before falling back to an exact filtered scan (default 8). */
  overFetch?: number;
  /** Name of the model that made the vectors; `load` refuses a sidecar made by another model. */
  model?: string;
  hnsw?: HnswOptions;
  /**
   * Told when a graph opened by `load` (mapped, read-only) is read whole into memory because the index changed:
   * the file and how long the read took.
   */
  onGraphRead?: (file: string, ms: number) => void;
  /**
   * Told when rows opened by `load` (read from the sidecar in place, through changes and saves) are read whole into
   * memory after all, to build a graph over them: the file and how long it took (at 2.7M vectors ~21 s, ~1.6 GiB).
   */
  onRowsRead?: (file: string, ms: number) => void;
}

/** Nearest-neighbour search over unit vectors by dot product. Scores are cosine similarities. */
export interface VectorIndex {
  readonly dimension: number;
  readonly size: number;
  /** 'exact' or 'approximate': how the next unfiltered search will run. */
  readonly mode: 'exact' | 'approximate';
  /** Adds a vector, or replaces the one stored for `id`. */
  add(id: string, vec: Float32Array): void;
  /** Makes room for `rows` vectors in all; call before a bulk load of known size (saves a doubling copy). */
  reserve(rows: number): void;
  /** Adds many at once; a rebuild or backfill should use this, since the graph then inserts in parallel. */
  addMany(entries: Iterable<readonly [id: string, vec: Float32Array]>): void;
  /** Removes `id`; returns whether it was there. */
  remove(id: string): boolean;
  has(id: string): boolean;
  get(id: string): Float32Array | undefined;
  /** Copies the vector of `id` into `out` at `offset` without allocating; false when absent. */
  copyTo(id: string, out: Float32Array, offset: number): boolean;
  /** Cosine of `vec` (unit length) and the stored int8 row of `id` (within ~1e-3 of float); null when `id` has none. */
  similarity(id: string, vec: Float32Array): number | null;
  /** `similarity` of each id, in order, computed as one batch (faster for many). */
  similarities(ids: readonly string[], vec: Float32Array): (number | null)[];
  /**
   * Best k ids by cosine, best first; `filter` restricts results to ids it allows. With
   * `{ rerank: false }` an approximate search takes HNSW's own top k (each scored exactly) instead of
   * re-ranking 3k quantized candidates: a little lower recall, a third of the work, for callers that
   * re-score the candidates themselves (hybrid fusion does).
   */
  search(
    vec: Float32Array,
    k: number,
    filter?: (id: string) => boolean,
    opts?: { readonly rerank?: boolean },
  ): ScoredId[];
  /** Checks up to `maxBytes` more rows of a snapshot opened lazily; true while some remain unchecked. */
  readAhead(maxBytes: number): boolean;
  /** The rows while they are read from the sidecar file, for checking their blocks elsewhere. */
  pagedSections(): PagedBytes[];
  /**
   * Writes `path` (and `path.hnsw` for the graph) atomically. With `layout`, the graph file is first rewritten in
   * neighbourhood order (`relayoutGraphFile`: same answers, fewer pages per search on a mapped graph; about 20 s
   * at 2.7M vectors), for bulk writes such as `reindex`; returns what it did (null: no graph, or no layout asked).
   */
  save(path: string, opts?: { layout?: GraphLayoutOptions }): GraphLayoutOutcome | null;
  /**
   * Replaces the contents with a saved sidecar; needs no rebuild when the graph file is present. Rows are
   * read on demand and the graph is mapped, not read (format 2). The graph is always checked whole first
   * (the native library trusts what it maps); the rows too unless `verify: false`, and then each block as
   * it is first read (`onDamage` hears of a failure). A damaged file is an AppError('STORE').
   */
  load(path: string, opts?: VectorLoadOptions & { graphChecksum?: FileChecksum | null }): void;
  /**
   * `load` with the graph file's checksum computed elsewhere (`fileChecksumInWorker`, started before open):
   * the rows open first, then the checksum is waited for before the graph is mapped. It is used when it was
   * read from the file now at the graph's path (device, inode and size); else (or null) the file is read here.
   */
  loadChecked(
    path: string,
    opts: VectorLoadOptions & { graphChecksum: Promise<FileChecksum | null> },
  ): Promise<void>;
  /**
   * Until the next search or save, additions only store rows; the graph is then built once over all of them
   * (one native call per slice, on every core) or taken from a saved file by `adoptGraph`. For bulk loads.
   */
  deferGraph(): void;
  /**
   * Takes the graph saved beside the sidecar at `path` instead of building one, when that sidecar holds exactly
   * these rows (ids, keys, codes and scales, slot by slot) and the graph file matches its recorded checksum;
   * returns false, changing nothing, otherwise. Only while the graph is deferred (`deferGraph`).
   */
  adoptGraph(path: string): boolean;
  /**
   * While the rows are read in place from a sidecar file and the graph is mapped from the file beside it (or there
   * is none): that file under its latest name, how many rows it lacks or holds in vain (changed since it was opened),
   * and whether nothing at all changed since (a save then links it as these very rows). Null otherwise.
   */
  readonly base: { file: string; changed: number; unchanged: boolean } | null;
  /**
   * Links `base`'s file and its graph file to `path` (the rows as they were when it was written: a reader replays
   * what changed since). The base is known by `path` from then on. False, linking nothing, when there is no base.
   */
  linkBase(path: string): boolean;
  /**
   * What a new sidecar of these rows is written from elsewhere (a worker thread, `writeRowsOver`): the base file,
   * the rows' changes since, and the header. Null when there is no base or nothing changed. `adoptRows` then takes
   * the written file; the index notes what changes meanwhile.
   */
  rowsRewrite(): RowsRewrite | null;
  /**
   * Reads the rows from `path` from now on: the sidecar written from the last `rowsRewrite`, with what changed since
   * carried over (the graph file is linked beside it). False, changing nothing, when the index cannot follow (the
   * rows were read whole since, the graph read into memory, or the file is not what was asked).
   */
  adoptRows(path: string): boolean;
}

/**
 * Creates an empty index.
 * @example const idx = createVectorIndex({ dimension: 256, approximateAbove: 20_000 }); idx.add('2503.11677', v); idx.search(q, 10);
 */
export function createVectorIndex(opts: VectorIndexOptions): VectorIndex {
  const d = opts.dimension;
  const threshold = opts.approximateAbove ?? 10_000;
  let store: VectorStore = createVectorStore(d);
  let graph: HnswGraph | undefined;
  /**
   * Rows changed while the graph is mapped from a snapshot: a mapped graph is read-only, and reading it whole for a
   * change took 35 s and 3.4 GiB of heap at 2.7M (docs/BENCHMARKS.md "first change to a mapped graph"). Rows added
   * since go to a small graph of their own, searched beside it; removed and replaced rows stay in the mapped graph
   * as dead keys, which every search drops (no id maps to them). Null while every row is in `graph`.
   */
  let side: SideRows | null = null;
  /**
   * The checksum recorded for the file a mapped graph was loaded from: while the graph stays mapped (unchanged), a
   * save links that file into the new generation and records the same checksum instead of reading 1.7 GB again.
   */
  let mappedSum: { size: number; crc: number } | null = null;
  /**
   * The sidecar file that holds exactly these rows and this graph's record, while nothing changed since it was loaded
   * or written (rows read in place, the graph mapped or absent): a save links it into the new generation instead of
   * writing 1.5 GB of rows again (about 1.6 s of the event loop at 2.7M, for each of serve's saves). Null otherwise.
   */
  let rowsFile: string | null = null;
  /** The sidecar file the rows are read from in place, by its latest name (a save links it to a new one). */
  let baseFile: string | null = null;
  /** Whether a file can hold these rows and graph as they are: rows read in place, the graph mapped or absent. */
  const linkable = (rows: VectorStore): boolean => rows.inPlace && (graph === undefined || graph.mapped());
  const noteMapped = (record: GraphRecord | null | undefined): void => {
    mappedSum = graph?.mapped() === true && record ? { size: record.size, crc: record.crc } : null;
  };
  /** `loadGraph`'s hook for a mapped graph read whole (the caller's `onGraphRead`). */
  const graphRead = opts.onGraphRead !== undefined ? { onRead: opts.onGraphRead } : {};
  /** The store over an opened sidecar at `path`, telling `onRowsRead` should its rows be read whole. */
  const storeOver = (opened: OpenedSidecar, path: string): VectorStore => {
    const told = opts.onRowsRead;
    return createVectorStore(d, opened, told === undefined ? undefined : (ms) => told(path, ms));
  };
  /** The last load's `onDamage`, kept for the file a save goes on reading rows from. */
  let damageHook: { onDamage?: (err: Error) => void } = {};
  /** Set by `deferGraph`: the graph is built (or adopted) at the next search or save, not as rows arrive. */
  let deferred = false;
  const buildGraph = (): HnswGraph => {
    const { keys } = store.entries();
    const g = createHnswGraph(d, opts.hnsw, keys.length);
    // Decoded a slice at a time, so a build never holds every row as floats (2.7M × 512 would be 5.5 GB).
    for (let from = 0; from < keys.length; from += GRAPH_SLICE) {
      const to = Math.min(keys.length, from + GRAPH_SLICE);
      g.add(keys.slice(from, to), store.decodeRows(from, to));
    }
    return g;
  };
  const syncMode = (): void => {
    if (store.size > threshold && !graph) {
      if (!deferred) {
        graph = buildGraph();
        side = null;
      }
    } else if (store.size <= threshold) {
      graph = undefined;
      side = null;
    }
  };
  const sideRows = (): SideRows =>
    (side ??= { graph: createHnswGraph(d, opts.hnsw), keys: new Set(), dead: 0 });
  /** A key gone from the store while the graph is mapped: out of the side graph, or dead in the mapped one. */
  const dropKey = (key: number | undefined): void => {
    if (key === undefined) return;
    const s = sideRows();
    if (s.keys.delete(key)) s.graph.remove(key);
    else s.dead++;
  };
  const settle = (): void => {
    if (!deferred) return;
    deferred = false;
    syncMode();
  };
  const checkDim = (vec: Float32Array, what: string): void => {
    if (vec.length !== d)
      throw new AppError(
        'BAD_INPUT',
        `${what} has ${vec.length} dimensions; this index holds ${d}. Re-embed with the index's model.`,
      );
  };
  /** The first half of a load: the sidecar opened (small sections checked) and its rows ready to use. */
  function openRows(
    path: string,
    loadOpts: VectorLoadOptions | undefined,
  ): { next: VectorStore; sum: GraphRecord | null | undefined } {
    const file = openSidecar(path, loadOpts);
    const saved = file.kind === 'opened' ? file.opened : file.contents;
    if (saved.dimension !== d || (opts.model !== undefined && saved.model !== opts.model)) {
      throw new AppError(
        'STORE',
        `${path} holds ${saved.dimension}-d vectors of model "${saved.model}", not ${d}-d "${opts.model ?? ''}"; run \`paperboy reindex\`.`,
      );
    }
    const sum = file.kind === 'opened' ? file.opened.graph : file.contents.graph;
    const next = file.kind === 'opened' ? storeOver(file.opened, path) : createVectorStore(d, saved);
    damageHook = loadOpts?.onDamage !== undefined ? { onDamage: loadOpts.onDamage } : {};
    loadOpts?.onStep?.('rows open', path);
    return { next, sum };
  }

  /** The second half of a load: the graph checked (or its given checksum matched) and mapped, then both used. */
  function finishLoad(
    path: string,
    rows: { next: VectorStore; sum: GraphRecord | null | undefined },
    loadOpts: VectorLoadOptions | undefined,
    graphChecksum: FileChecksum | null | undefined,
  ): void {
    const { next, sum } = rows;
    graph =
      next.size > threshold
        ? loadGraph(`${path}.hnsw`, d, sum?.nodes ?? next.size, opts.hnsw, sum, {
            ...loadOpts,
            graphChecksum,
            ...graphRead,
          })
        : undefined;
    side = graph === undefined ? null : savedSide(next, sum, graph.size(), opts.hnsw);
    noteMapped(sum);
    // Rows neither in the graph nor listed outside it: the record does not describe this graph, so build one.
    if (side !== null && side.dead < 0) {
      graph = undefined;
      side = null;
    }
    store = next;
    deferred = false;
    syncMode();
    rowsFile = linkable(next) ? path : null;
    baseFile = next.inPlace ? path : null;
  }

  return {
    dimension: d,
    get size() {
      return store.size;
    },
    get mode() {
      return graph || (deferred && store.size > threshold) ? 'approximate' : 'exact';
    },
    add(id, vec) {
      checkDim(vec, `Vector for ${id}`);
      rowsFile = null;
      const { key, replaced } = store.put(id, vec);
      if (graph?.mapped() === true) {
        dropKey(replaced);
        addToSide(sideRows(), [key], vec);
        return;
      }
      if (graph && replaced !== undefined) graph.remove(replaced);
      if (graph) graph.add([key], vec);
      else syncMode();
    },
    reserve: (rows) => store.reserve(rows),
    readAhead: (maxBytes) => store.readAhead(maxBytes),
    pagedSections: () => store.pagedSections(),
    addMany(entries) {
      rowsFile = null;
      const keys: number[] = [];
      const rows: Float32Array[] = [];
      for (const [id, vec] of entries) {
        checkDim(vec, `Vector for ${id}`);
        const { key, replaced } = store.put(id, vec);
        if (graph?.mapped() === true) dropKey(replaced);
        else if (graph && replaced !== undefined) graph.remove(replaced);
        keys.push(key);
        rows.push(vec);
      }
      if (!graph) return syncMode();
      const flat = new Float32Array(rows.length * d);
      rows.forEach((r, i) => flat.set(r, i * d));
      if (graph.mapped()) addToSide(sideRows(), keys, flat);
      else graph.add(keys, flat);
    },
    remove(id) {
      const key = store.remove(id);
      if (key === undefined) return false;
      rowsFile = null;
      if (graph?.mapped() === true) dropKey(key);
      else graph?.remove(key);
      if (graph) syncMode();
      return true;
    },
    has: (id) => store.keyOf(id) !== undefined,
    get: (id) => store.get(id),
    copyTo: (id, out, offset) => store.copyTo(id, out, offset),
    similarity(id, vec) {
      if (vec.length !== d) return null;
      const score = store.score(id, vec);
      return Number.isNaN(score) ? null : score;
    },
    similarities(ids, vec) {
      if (vec.length !== d) return ids.map(() => null);
      return Array.from(store.scoreMany(ids, vec), (s) => (Number.isNaN(s) ? null : s));
    },
    search(vec, k, filter, searchOpts) {
      checkDim(vec, 'Query vector');
      if (k <= 0 || store.size === 0) return [];
      settle();
      if (!graph) return store.scan(vec, k, filter);
      const quantized = (opts.hnsw?.quantization ?? 'i8') !== 'f32';
      const rerank = quantized && searchOpts?.rerank !== false ? 3 : 1;
      return approximateSearch(store, graph, side, vec, k, filter, opts.overFetch ?? 8, rerank);
    },
    save(path, saveOpts) {
      settle();
      // Unchanged since loaded or written: that sidecar (and the mapped graph's file) linked in as they are.
      if (rowsFile !== null && saveOpts?.layout === undefined && linkable(store)) {
        if (rowsFile !== path) {
          if (graph) graph.save(`${path}.hnsw`);
          else rmSync(`${path}.hnsw`, { force: true });
          linkOrCopyFile(rowsFile, path);
          rowsFile = path;
          baseFile = path;
        }
        return null;
      }
      // The graph first: the sidecar records its size and checksum, checked before it is mapped again.
      let layout: GraphLayoutOutcome | null = null;
      // Unchanged since it was mapped: the file it maps is linked in (`HnswGraph.save`), its checksum already known.
      const known = graph?.mapped() === true && saveOpts?.layout === undefined ? mappedSum : null;
      if (graph) {
        graph.save(`${path}.hnsw`);
        // The graph in this process keeps its own slots: it answers the same either way, and the next load maps
        // the relaid file (checked against the checksum taken below).
        if (saveOpts?.layout !== undefined) layout = relayoutGraphFile(`${path}.hnsw`, saveOpts.layout);
      } else rmSync(`${path}.hnsw`, { force: true });
      // A mapped graph with rows changed since is saved as it is: the record says how many nodes it holds and which
      // rows are outside it, and the next load puts those in a side graph again.
      const sum: GraphRecord | null = graph
        ? {
            ...(known ?? fileChecksum(`${path}.hnsw`)),
            ...(side !== null ? { nodes: graph.size(), outside: [...side.keys] } : {}),
          }
        : null;
      store.write(path, { model: opts.model ?? '', graph: sum });
      // A mapped graph now names the file just saved (`HnswGraph.save`), which a layout may have rewritten: the next
      // save links that one, so the checksum carried is this file's.
      mappedSum = graph?.mapped() === true && sum !== null ? { size: sum.size, crc: sum.crc } : null;
      // Rows read in place go on from the file just written, the changes since folded in: their memory beside the
      // file is given back, and the older file can go (its blocks were checked as its rows were copied).
      if (store.inPlace) {
        const file = openSidecar(path, { trusted: true, ...damageHook });
        if (file.kind === 'opened') store = storeOver(file.opened, path);
      }
      rowsFile = linkable(store) ? path : null;
      baseFile = store.inPlace ? path : null;
      return layout;
    },
    load(path, loadOpts) {
      const rows = openRows(path, loadOpts);
      finishLoad(path, rows, loadOpts, loadOpts?.graphChecksum);
    },
    async loadChecked(path, loadOpts) {
      const rows = openRows(path, loadOpts);
      const checked = await loadOpts.graphChecksum;
      loadOpts.onStep?.('graph checksum wait', `${path}.hnsw`);
      finishLoad(path, rows, loadOpts, checked);
    },
    deferGraph() {
      deferred = true;
      rowsFile = null;
    },
    get base() {
      if (baseFile === null || deferred || !linkable(store)) return null;
      return { file: baseFile, changed: store.changedRows, unchanged: rowsFile !== null };
    },
    linkBase(path) {
      if (baseFile === null || deferred || !linkable(store)) return false;
      if (baseFile === path) return true;
      // The graph first, as `save` does: a mapped graph is linked from the file it maps (the base's graph); with
      // none now (the rows fell under the exact-search threshold), the one the base file names, if any.
      if (graph) graph.save(`${path}.hnsw`);
      else if (existsSync(`${baseFile}.hnsw`)) linkOrCopyFile(`${baseFile}.hnsw`, `${path}.hnsw`);
      else rmSync(`${path}.hnsw`, { force: true });
      linkOrCopyFile(baseFile, path);
      if (rowsFile === baseFile) rowsFile = path;
      baseFile = path;
      return true;
    },
    rowsRewrite() {
      if (baseFile === null || deferred || !linkable(store)) return null;
      // The graph's record as `save` writes it: a mapped graph's own checksum, and the rows outside it.
      if (graph !== undefined && mappedSum === null) return null;
      const changes = store.rowChanges();
      if (changes === null) return null;
      const record: GraphRecord | null =
        graph !== undefined && mappedSum !== null
          ? { ...mappedSum, ...(side !== null ? { nodes: graph.size(), outside: [...side.keys] } : {}) }
          : null;
      return { file: baseFile, changes, head: { model: opts.model ?? '', graph: record } };
    },
    adoptRows(path) {
      if (baseFile === null || deferred || !linkable(store)) return false;
      const file = openSidecar(path, { trusted: true, ...damageHook });
      if (file.kind !== 'opened') return false;
      const next = store.rebase(file.opened);
      if (next === null) return false;
      if (graph) graph.save(`${path}.hnsw`);
      store = next;
      baseFile = path;
      rowsFile = next.changedRows === 0 ? path : null;
      return true;
    },
    adoptGraph(path) {
      if (!deferred || graph !== undefined || store.size <= threshold || !existsSync(`${path}.hnsw`))
        return false;
      let saved: OpenedSidecar;
      try {
        const file = openSidecar(path);
        if (file.kind !== 'opened') return false; // an older float file: its graph predates the int8 rows
        saved = file.opened;
      } catch {
        return false; // damaged or gone: the caller builds the graph
      }
      if (saved.dimension !== d || saved.graph === null) return false;
      // A graph saved with rows changed since it was written (a side graph beside it) is taken with its side while
      // the changes are a small share of it; past that, a graph over all the rows is built instead.
      const nodes = saved.graph.nodes ?? store.size;
      const outside = saved.graph.outside?.length ?? 0;
      // Added and replaced rows (outside the graph), and the graph's dead keys (removed or replaced rows).
      const changed = outside + Math.max(0, nodes + outside - store.size);
      if (changed > store.size * SIDE_REBUILD_SHARE) return false;
      if (opts.model !== undefined && saved.model !== opts.model) return false;
      if (!sameRows(store.entries(), saved, d)) return false;
      let adopted: HnswGraph | undefined;
      try {
        adopted = loadGraph(`${path}.hnsw`, d, nodes, opts.hnsw, saved.graph, graphRead);
      } catch {
        return false;
      }
      if (adopted === undefined) return false;
      const adoptedSide = savedSide(store, saved.graph, adopted.size(), opts.hnsw);
      if (adoptedSide !== null && adoptedSide.dead < 0) return false;
      graph = adopted;
      side = adoptedSide;
      noteMapped(saved.graph);
      deferred = false;
      return true;
    },
  };
}

/**
 * `adoptGraph` takes a saved graph with a side graph while the rows changed since it was written (added, removed,
 * replaced) are at most this share of all rows; past it, the rebuild builds one graph over all of them.
 */
const SIDE_REBUILD_SHARE = 0.1;

/** Side graphs below this many rows take rows one at a time (see `addToSide`). */
const SIDE_SERIAL = 2048;

/**
 * Adds rows (keys and their vectors, `flat`) to a side graph and its key set. While it is small they go in one at a
 * time: inserted in parallel (usearch's batch add uses every core), the first rows of a graph do not see each other
 * and a few were left unreachable (a test found a row missing from its own nearest neighbours in 2 runs of 3).
 */
function addToSide(side: SideRows, keys: readonly number[], flat: Float32Array): void {
  const d = flat.length / Math.max(1, keys.length);
  let i = 0;
  for (; i < keys.length && side.keys.size < SIDE_SERIAL; i++) {
    side.keys.add(keys[i]!);
    side.graph.add([keys[i]!], flat.subarray(i * d, (i + 1) * d));
  }
  if (i === keys.length) return;
  for (const key of keys.slice(i)) side.keys.add(key);
  side.graph.add(keys.slice(i), flat.subarray(i * d));
}

/** Rows changed while the graph is mapped (see `side` in `createVectorIndex`). */
interface SideRows {
  /** The rows added since the graph was written, in a small in-memory graph. */
  graph: HnswGraph;
  keys: Set<number>;
  /** Keys still in the mapped graph whose rows are gone (removed, or replaced by a new key). */
  dead: number;
}

/**
 * The side rows a saved graph record lists (`outside`, the keys added after the graph was written) put into a
 * graph of their own, and the mapped graph's dead keys counted; null when the graph holds every row.
 */
function savedSide(
  store: VectorStore,
  sum: GraphRecord | null | undefined,
  nodes: number,
  hnsw: HnswOptions | undefined,
): SideRows | null {
  const outside = (sum?.outside ?? []).filter((key) => store.idOfKey(key) !== undefined);
  if (outside.length === 0 && nodes === store.size) return null;
  const d = store.dimension;
  const side: SideRows = {
    graph: createHnswGraph(d, hnsw),
    keys: new Set(),
    dead: nodes + outside.length - store.size,
  };
  const flat = new Float32Array(outside.length * d);
  outside.forEach((key, i) => store.copyTo(store.idOfKey(key)!, flat, i * d));
  addToSide(side, outside, flat);
  return side;
}

/** Rows compared at once by `sameRows` (4,096 × 512 B = 2 MiB). */
const COMPARE_ROWS = 4096;

/** Whether a saved sidecar holds exactly the live rows: the same id, key, scale and codes in every slot. */
function sameRows(live: CodedRows, saved: OpenedSidecar, d: number): boolean {
  const n = live.ids.length;
  if (saved.keys.length !== n || saved.scales.length !== n || saved.rows.length !== n * d) return false;
  const savedIds = saved.ids.toArray();
  for (let s = 0; s < n; s++) if (savedIds[s] !== live.ids[s] || saved.keys[s] !== live.keys[s]) return false;
  const bytes = (a: ArrayBufferView): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  if (!bytes(saved.scales).equals(bytes(live.scales))) return false;
  const codes = bytes(live.codes);
  for (let from = 0; from < n; from += COMPARE_ROWS) {
    const to = Math.min(n, from + COMPARE_ROWS);
    if (!bytes(saved.rows.view(from * d, to * d)).equals(codes.subarray(from * d, to * d))) return false;
  }
  return true;
}

/** HNSW candidates (rerank × k when quantized), rescored from the stored int8 rows against the float query; a filter that leaves too few falls back to an exact scan. */
function approximateSearch(
  store: VectorStore,
  graph: HnswGraph,
  side: SideRows | null,
  vec: Float32Array,
  k: number,
  filter: ((id: string) => boolean) | undefined,
  overFetch: number,
  rerank: number,
): ScoredId[] {
  const want = k * (filter ? overFetch : rerank);
  const ids: string[] = [];
  // Dead keys (rows removed while the graph was mapped) come back from it and are dropped: asked for that many more.
  const keys = graph.search(vec, want + Math.min(side?.dead ?? 0, want));
  if (side !== null && side.keys.size > 0) keys.push(...side.graph.search(vec, want));
  for (const key of keys) {
    const id = store.idOfKey(key);
    if (id !== undefined && (filter === undefined || filter(id))) ids.push(id);
  }
  const scores = store.scoreMany(ids, vec);
  const hits = ids.map((id, i): ScoredId => [id, scores[i]!]);
  if (filter && hits.length < k && store.size > want) return store.scan(vec, k, filter);
  return hits.sort((a, b) => b[1] - a[1]).slice(0, k);
}

/** `checked` when it was computed from the file now at `path` (same device, inode and size), else null. */
function sameFile(path: string, checked: FileChecksum | null | undefined): FileChecksum | null {
  if (checked === null || checked === undefined) return null;
  const st = statSync(path);
  return st.dev === checked.dev && st.ino === checked.ino && st.size === checked.size ? checked : null;
}

/** The steps of `VectorIndex.load` reported to `onStep`. */
export type VectorLoadStep = 'rows open' | 'graph checksum wait' | 'graph checksum' | 'graph map';

/** How `VectorIndex.load` opens a sidecar: see `openSidecar` for `verify` and `onDamage`. */
export interface VectorLoadOptions {
  verify?: boolean;
  onDamage?: (err: Error) => void;
  /** Told as each step of the load ends (`rows open`, `graph checksum`, `graph map`), for start-up timings. */
  onStep?: (step: VectorLoadStep, file: string) => void;
}

/**
 * The saved graph when it matches the saved vectors; undefined (so the caller rebuilds) when absent or stale.
 * With a recorded checksum (format 2) the file is checked, then mapped rather than read; a graph whose
 * bytes differ is refused, since the native library trusts what it maps.
 */
function loadGraph(
  path: string,
  d: number,
  size: number,
  hnsw: HnswOptions | undefined,
  sum: GraphRecord | null | undefined,
  given: {
    onStep?: (step: VectorLoadStep, file: string) => void;
    graphChecksum?: FileChecksum | null;
    onRead?: (file: string, ms: number) => void;
  } = {},
): HnswGraph | undefined {
  if (!existsSync(path)) return undefined;
  const graph = createHnswGraph(d, hnsw, size, given.onRead);
  if (sum === undefined) graph.load(path);
  else {
    if (sum === null) return undefined;
    const actual = sameFile(path, given.graphChecksum) ?? fileChecksum(path);
    given.onStep?.('graph checksum', path);
    if (actual.size !== sum.size || actual.crc !== sum.crc)
      throw new AppError('STORE', `${path} is damaged (checksum); run \`paperboy reindex\`.`);
    graph.view(path);
  }
  given.onStep?.('graph map', path);
  return graph.size() === size ? graph : undefined;
}
