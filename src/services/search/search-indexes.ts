// Keeps the in-process lexical and vector indexes in step with the store, and snapshots them to disk.
import { linkKinds } from '../enrich/index.ts';
import {
  copyFileSync,
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import { createPacer, OpenClock, type OpenStep } from '../../platform/index.ts';
import type { Paper } from '../../domain/index.ts';
import {
  createLexicalIndex,
  openLexicalIndex,
  type AnalyzedDoc,
  type LexicalDoc,
  type LexicalIndex,
  type LexicalMemoryLimits,
  type SearchOptions,
} from '../../index/lexical/lexical-index.ts';
import type { ScoredId } from '../../domain/scored.ts';
import type { ParsedQuery } from '../../index/lexical/query.ts';
import {
  startLexicalHelper,
  type LexicalHelper,
  type LexicalHelperOptions,
  type LexicalHelperStats,
} from './lexical-helper.ts';
import {
  createVectorIndex,
  type GraphLayoutOptions,
  type GraphLayoutOutcome,
  type VectorIndex,
} from '../../index/vectors/index.ts';
import { checkSectionsInWorker, foreground } from '../../index/file-check-worker.ts';
import { fileChecksumInWorker, type FileChecksum } from '../../index/file-checksum-worker.ts';
import type { PagedBytes } from '../../index/snapshot-sections.ts';
import type { Embedder } from '../../index/embedders/embedder.ts';
import type { PaperChange, Store } from '../../store/store.ts';
import { lexicalSnapshotOutdated } from '../../index/lexical/index-codec.ts';
import { sidecarOutdated } from '../../index/vectors/sidecar-file.ts';
import { buildFolder, currentSnapshot, processAlive, saveSnapshot } from './snapshot-folder.ts';
import { AppError } from '../../errors.ts';
import {
  analyzedDocs,
  startSyncAnalyzer,
  type AnalyzedPage,
  type SyncAnalyzer,
} from './lexical-analyze-in-worker.ts';
import type { VectorSnapshotFollower } from './vector-snapshot-in-worker.ts';
import { rewriteLexicalInWorker, rewriteVectorsInWorker } from './snapshot-rewrite.ts';

/** A vector snapshot being built (`SearchIndexes.vectorSnapshot`). */
export interface VectorSnapshotBuilder {
  /** Adds the vectors stored since the last call; how many rows were read. */
  catchUp(): Promise<number>;
  /** Catches up a last time and writes the generation; whether it holds a lexical snapshot (carried over). */
  write(): Promise<{ lexical: boolean }>;
}

/** What the snapshot files say they contain. */
interface SnapshotState {
  lexicalSeq: number;
  vectorModel: string | null;
  vectorSeq: number;
  /** Which derived document fields the lexical snapshot holds (DOC_FEATURES); absent in older snapshots. */
  docFeatures?: number;
  /**
   * The store's paper change log position when the vectors were read (`snapshotVectors`); paper deletions after
   * it are replayed on the vectors when they load. Absent: the same as `lexicalSeq` (both saved together).
   */
  vectorPapersSeq?: number;
}

/** The share of papers changed since the lexical file was written past which serve's saves rewrite it (see save)… */
const LEXICAL_DRIFT_SHARE = 0.02;
/** …and the most changed papers a restart replays before answering (about 7 s of its open at 2.7M papers). */
const LEXICAL_DRIFT_MAX = 10_000;

/**
 * With background rewrites (serve), how far past the link limit serve's saves still link the lexical file while the
 * rewrite thread has not replaced it (it failed, or the process is stopping): a restart then replays at most this
 * many times the limit's papers.
 */
const LEXICAL_DRIFT_LINK_FACTOR = 3;
/** After a failed background rewrite, the next is tried no sooner than this. */
const REWRITE_RETRY_MS = 10 * 60_000;

/**
 * What a background rewrite (`rewriteInBackground`) of the lexical file or of the vector rows tells, for serve's log:
 * `changed` and `replayed` count papers (lexical) or vector rows (vectors), `count` what the new file holds.
 */
export type RewriteEvent = { index: 'lexical' | 'vectors' } & (
  | { type: 'started'; changed: number; file: string }
  | { type: 'done'; ms: number; count: number; replayed: number; file: string }
  | { type: 'failed'; message: string }
);

/**
 * Bumped when `toLexicalDoc` derives something new from a paper (1: link kinds for `has:`). A lexical
 * snapshot written before is rebuilt from the store once on open, so papers stored earlier get it too.
 */
const DOC_FEATURES = 1;

export interface SearchIndexesOptions {
  /** Folder for snapshots; null keeps everything in memory (":memory:" stores, tests). */
  dir: string | null;
  /** Above this many vectors, search uses HNSW. */
  approximateAbove: number;
  /** Graphs of at least this many nodes are laid out in neighbourhood order by bulk saves (default 100,000). */
  graphLayoutAbove?: number;
  /**
   * Told when a mapped vector graph is read whole into memory because the index changed (a new or deleted paper's
   * vector): the file and the milliseconds the read blocked for.
   */
  onGraphRead?: (file: string, ms: number) => void;
  /** Told when vector rows read from a snapshot in place are read whole into memory (a graph built over them). */
  onRowsRead?: (file: string, ms: number) => void;
  onProgress?: (what: string, done: number, total: number | null) => void;
  /** Milliseconds for spacing index syncs (default Date.now); tests advance it instead of waiting. */
  elapsedMs?: () => number;
  /**
   * Told when a snapshot file is refused (damaged: cut short, a flipped byte, sections that disagree) and
   * rebuilt from the store instead.
   */
  onSnapshotRefused?: (file: string, reason: string) => void;
  /**
   * Check the large sections of a snapshot (postings, term sequences, vector rows) block by block as they
   * are first read instead of all of them at open: a cold CLI search then reads a few MB, not 300. A block
   * that fails its check is never used: the read that met it fails, and the next `upToDate` refuses the
   * file and rebuilds that index from the store. The HNSW graph and the small sections are still checked
   * whole at open.
   */
  checkOnRead?: boolean;
  /** Memory bounds of the lexical index (posting lists kept from the file, pair signatures); unbounded if unset. */
  lexicalMemory?: LexicalMemoryLimits;
  /**
   * Every stored paper analyzed on another thread, in store order (`analyzedPagesInWorker`): `rebuild` then
   * builds the lexical index from term ids while the text is read and analyzed beside it. Absent (a ":memory:"
   * store, tests), or for any other build, papers are analyzed on this thread. The index is the same either way.
   */
  analyzedPages?: (pageSize: number) => AsyncIterable<AnalyzedPage>;
  /**
   * A sync whose page of changes adds at least this many papers analyzes them on a worker thread (default 1,000;
   * `Infinity`: never). The index is the same either way.
   */
  analyzeInWorkerAbove?: number;
  /** Changes (papers, vectors) read from the store's logs a page at a time by a sync; default 2,000. */
  changePage?: number;
  /**
   * Bytes of postings `rebuild` buffers before writing a sorted run to a temporary file in `dir` (merged once
   * into the snapshot at the end); default DEFAULT_BUILD_MEMORY_BYTES. Not used without `dir`.
   */
  buildMemoryBytes?: number;
  /**
   * `followVectors` on another thread (`followVectorsInWorker` with this folder and store): the graph then grows
   * on a second core while papers are embedded. Absent, the snapshot is built in this process at the end.
   */
  vectorSnapshotInWorker?: (model: string, dimension: number) => VectorSnapshotFollower;
  /** The longest a search waits for the start-up block checks (`readAhead`); default START_CHECK_WAIT_MS. */
  startCheckWaitMs?: number;
  /** Told when `readAhead`'s worker has checked the blocks left unchecked at open: how many bytes, in how long. */
  onChecked?: (bytes: number, ms: number) => void;
}

/** The steps `rebuild` reports as they end: the lexical step ends with its file written and reopened. */
export type RebuildStep = 'lexical postings' | 'lexical write' | 'vectors';

/**
 * Told as each step of `rebuild` ends; a promise returned is awaited before the next step (`paperboy reindex`
 * waits there for its lookup worker after the postings step), and a rejection fails the rebuild.
 */
export type RebuildStepHook = (step: RebuildStep, count: number) => void | Promise<void>;

/** Postings buffered by a rebuild before a run is written (about 19M postings; see posting-runs.ts). */
export const DEFAULT_BUILD_MEMORY_BYTES = 256 << 20;

export function toLexicalDoc(p: Paper): LexicalDoc {
  return {
    id: p.id,
    title: p.title,
    abstract: p.abstract,
    authors: p.authors,
    categories: p.categories,
    date: p.announced ?? p.published,
    features: linkKinds(p),
  };
}

const PAGE = 2000;
/** New vectors a sync puts in the served graph per slice of the event loop (tens of ms of inserts at 2.7M). */
const VECTOR_SYNC_CHUNK = 64;
/** Changed papers a sync hands its analysis thread at once (`applyAnalyzed`). */
const SYNC_CHUNK = 250;
/** A sync analyzes on a worker thread once a page adds at least this many papers (`analyzeInWorkerAbove`). */
const ANALYZE_IN_WORKER_ABOVE = 1000;
const noop = (): void => undefined;
/** Read-ahead after start: bytes read per step (the pair signatures: one document per 512 bytes, 256 at least)… */
const READ_AHEAD_STEP_BYTES = 256 << 10;
/**
 * …and the longest run of steps before other work (searches) gets the event loop. A slice starts in the gap
 * between two requests and the next one waits for its end: at 2.7M papers, 8 ms slices added about 10 ms CPU
 * to every request of the first 13 s after a restart (docs/BENCHMARKS.md "#23 similar and hybrid tail at 2.7M").
 */
const READ_AHEAD_SLICE_MS = 2;
/**
 * Searches arriving while `readAhead`'s block checks run on their worker (the first seconds after a start) wait
 * for them, up to this long, instead of being answered beside them: each would otherwise stream a 64 KiB block
 * through a check for every row or list it first touches, and the worker would compete with it for the disk. At
 * 2.7M papers (3 GB of postings and rows, checked in about 1.5 s warm) that lowered the p99 of all three search
 * kinds over the first 1,000 queries, for about a second more before the first answer (docs/BENCHMARKS.md "#23
 * searches wait for the start-up checks"). A slow disk cannot hold searches longer than this.
 */
const START_CHECK_WAIT_MS = 10_000;

/**
 * The search indexes of one process. `sync()` applies the store's change log (papers added,
 * updated, deleted by any process) and new vectors; it is cheap when nothing changed.
 */
export class SearchIndexes {
  lexical: LexicalIndex = createLexicalIndex();
  vectors: VectorIndex | null = null;
  private state: SnapshotState = { lexicalSeq: 0, vectorModel: null, vectorSeq: 0 };
  private unsaved = 0;
  /**
   * The snapshot file the lexical index was read from or last written to, and the change-log position it holds;
   * null when the index was built otherwise (it is written whole at the next save). `lexicalDrift` counts the papers
   * changed since (as the change log named them).
   */
  private lexicalBase: { file: string; seq: number } | null = null;
  private lexicalDrift = 0;
  /**
   * For `index`: the change-log positions the vector file it reads its rows from holds (`VectorIndex.base`), the
   * vectors stored up to `vectorSeq` and the paper deletions up to `papersSeq`, which a save that links that file
   * records (a restart then replays the rest).
   */
  private vectorBaseAt: { index: VectorIndex; vectorSeq: number; papersSeq: number } | null = null;
  private writesSnapshots = true;
  private readonly changeListeners: ((ids: readonly string[] | null) => void)[] = [];

  constructor(
    private readonly store: Store,
    private readonly opts: SearchIndexesOptions,
  ) {}

  /** True once `open()` has run (so there is something worth snapshotting). */
  isOpen = false;

  get lexicalSeq(): number {
    return this.state.lexicalSeq;
  }

  private opening: Promise<void> | null = null;
  private syncing: Promise<number> | null = null;

  /**
   * Calls `listener` with the ids of papers whose changes were just applied (null: all of them, after a
   * rebuild), so caches of paper data can stay in step with the indexes.
   */
  onPapersChanged(listener: (ids: readonly string[] | null) => void): void {
    this.changeListeners.push(listener);
  }

  private papersChanged(ids: readonly string[] | null): void {
    for (const listener of this.changeListeners) listener(ids);
  }

  /** Times the steps of the first open (each snapshot file, the store sync, the model: `startStep`), until `startSteps`. */
  private clock: OpenClock | null = null;

  /** Ends a step of the start-up that happened outside this class (e.g. reading the model) as `step`. */
  startStep(step: string, file: string | null = null): void {
    this.clock?.mark(step, file);
  }

  /** The start-up's steps so far, with their times and bytes read; no more are recorded after this call. */
  startSteps(): OpenStep[] {
    const steps = this.clock?.steps ?? [];
    this.clock = null;
    return steps;
  }

  /** Loads snapshots if present, else builds from the store; later calls wait for the first. */
  open(): Promise<void> {
    this.clock ??= this.opening === null ? new OpenClock() : null;
    this.opening ??= this.load();
    return this.opening;
  }

  private async load(): Promise<void> {
    const dir = this.opts.dir === null ? null : currentSnapshot(this.opts.dir);
    this.snapshotDir = dir;
    // A generation written by `embed` may hold vectors only (no lexical.bin): they load, the lexical index is built.
    if (dir !== null) this.savedVectorState = readSnapshotState(dir);
    if (dir !== null && existsSync(join(dir, 'lexical.bin'))) {
      try {
        const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SnapshotState;
        this.savedVectorState = state;
        // An older lexical snapshot lacks derived fields: leave lexicalSeq at 0 so it is rebuilt below.
        if (state.docFeatures === DOC_FEATURES && state.lexicalSeq > 0) {
          const file = join(dir, 'lexical.bin');
          this.lexical = openLexicalIndex(file, this.checks(file)).limitMemory(this.lexicalLimits());
          this.clock?.mark('lexical open', 'lexical.bin');
          this.state = { ...state, vectorModel: null, vectorSeq: 0 };
          // A snapshot of an older format (no checksums, parsed whole) is rewritten at the next save.
          if (lexicalSnapshotOutdated(file)) this.unsaved += 1;
          else this.setLexicalBase(file, state.lexicalSeq);
        }
      } catch (err) {
        this.refused(join(dir, 'lexical.bin'), err);
        this.lexical = createLexicalIndex();
        this.state = { lexicalSeq: 0, vectorModel: null, vectorSeq: 0 };
      }
    }
    if (this.state.lexicalSeq === 0) {
      await this.rebuildLexical();
      this.clock?.mark('lexical rebuild');
    }
    this.isOpen = true;
    const before = this.unsaved;
    await this.sync();
    // Papers replayed onto a linked lexical file are what the generation on disk replays too: no save is owed for
    // them (it would write the vector rows again for nothing), unless so many that the file is due to be written.
    if (this.lexicalBase !== null && this.lexicalDrift <= this.driftLimit(this.lexical.size))
      this.unsaved = before;
    this.clock?.mark('store sync');
  }

  private refused(file: string, err: unknown): void {
    this.opts.onSnapshotRefused?.(file, err instanceof Error ? err.message : String(err));
  }

  /** Snapshot files a block of which failed its check after opening, with why; refused at the next sync. */
  private damage = new Map<string, string>();
  /** Files refused after opening: never loaded again by this process (their index comes from the store). */
  private readonly refusedFiles = new Set<string>();
  private recovering: Promise<void> | null = null;

  /** True when a snapshot block failed its check since the last sync (a search answers again after it). */
  get damageFound(): boolean {
    return this.damage.size > 0;
  }

  /** How a snapshot file is opened: checked whole now, or block by block as read (`checkOnRead`). */
  private checks(file: string): { verify?: boolean; onDamage?: (err: Error) => void } {
    if (this.opts.checkOnRead !== true) return {};
    return { verify: false, onDamage: (err) => this.damage.set(file, err.message) };
  }

  /** Refuses each file found damaged since opening and rebuilds its index from the store, once at a time. */
  private async recover(): Promise<void> {
    this.recovering ??= (async () => {
      for (const [file, reason] of this.damage) {
        this.damage.delete(file);
        this.refusedFiles.add(file);
        this.refused(file, reason);
        if (file.endsWith('lexical.bin')) {
          this.lexical = createLexicalIndex();
          this.state.lexicalSeq = 0;
          await this.rebuildLexical();
        } else {
          // Loaded again by the next `useModel`, from the vectors in the store.
          this.vectors = null;
          this.state = { ...this.state, vectorModel: null, vectorSeq: 0 };
        }
      }
    })().finally(() => (this.recovering = null));
    await this.recovering;
  }

  /**
   * The HNSW graph file's checksum, computed on a worker from the start of `open` (`checkGraphAhead`) while the lexical index, the
   * rows and the model open here: on a cold start the graph (1.78 GB at 2.7M papers) is most of what is read,
   * and the check must end before the file is mapped (the native library trusts what it maps). Used once, by
   * the first `useModel` that loads that generation's vectors; null on failure (then read on this thread).
   */
  private graphCheck: { path: string; sum: Promise<FileChecksum | null> } | null = null;

  /**
   * Starts reading and checking the current generation's graph file on a worker (serve, before `open`), so
   * the first `useModel` finds it checked. Left out by a CLI search, which may never map the graph.
   */
  checkGraphAhead(): void {
    const dir = this.opts.dir === null ? null : currentSnapshot(this.opts.dir);
    if (dir === null || this.graphCheck !== null || !readSnapshotState(dir)?.vectorModel) return;
    const path = join(dir, 'vectors.bin.hnsw');
    if (!existsSync(path)) return;
    this.graphCheck = { path, sum: fileChecksumInWorker(path).catch(() => null) };
  }

  /** The checksum started ahead for `path` (used once), or null when none was started for it. */
  private takeGraphCheck(path: string): Promise<FileChecksum | null> | null {
    const check = this.graphCheck;
    this.graphCheck = null;
    return check === null || check.path !== path ? null : check.sum;
  }

  private savedVectorState: SnapshotState | null = null;
  /** The snapshot generation this process loaded or last wrote (vectors load from the same one). */
  private snapshotDir: string | null = null;

  /**
   * Rebuilds both indexes from the store alone (`paperboy reindex`), ignoring any snapshot: a snapshot is
   * neither loaded first (which would hold two indexes at once) nor trusted for the vectors.
   */
  async rebuild(
    model: string | null,
    dimension: number,
    signal?: AbortSignal,
    onStep?: RebuildStepHook,
  ): Promise<void> {
    this.stop = signal ?? null;
    this.onStep = onStep ?? null;
    try {
      await this.rebuildFromStore(model, dimension);
    } finally {
      this.stop = null;
      this.onStep = null;
    }
  }

  /** Told as each step of `rebuild` ends (`paperboy reindex` logs its seconds and memory). */
  private onStep: RebuildStepHook | null = null;

  /**
   * Drops both indexes from this process (the snapshots on disk stay; a later `open` loads them). `reindex` calls
   * it after saving, so the lookup step that follows does not run beside the vector rows and the lexical index:
   * at 2.7M papers they held about 3 GiB beside its tables (docs/BENCHMARKS.md "#23 reindex steps (h26l)").
   */
  release(): void {
    this.lexical = createLexicalIndex();
    this.lexicalBase = null;
    this.vectors = null;
    this.state = { lexicalSeq: 0, vectorModel: null, vectorSeq: 0 };
    this.snapshotDir = null;
    this.savedVectorState = null;
    this.fromStoreOnly = false;
    this.isOpen = false;
    this.opening = null;
    this.unsaved = 0;
  }

  /** Aborted while `rebuild` runs (Ctrl-C on `paperboy reindex`): checked after every page of the store. */
  private stop: AbortSignal | null = null;

  private checkStop(): void {
    if (this.stop?.aborted === true)
      throw new AppError(
        'INTERRUPTED',
        'The index rebuild was stopped before it finished; the snapshots on disk are unchanged. Run `paperboy reindex` again.',
      );
  }

  private async rebuildFromStore(model: string | null, dimension: number): Promise<void> {
    await this.opening?.catch(() => undefined);
    const previous = model === null ? null : this.snapshotVectorsOf(model);
    this.opening = Promise.resolve(); // a later open() finds the indexes built
    this.lexical = createLexicalIndex();
    this.lexicalBase = null;
    this.snapshotDir = null;
    this.savedVectorState = null;
    this.fromStoreOnly = true;
    this.vectors = null;
    this.state = { lexicalSeq: 0, vectorModel: null, vectorSeq: 0 };
    // Postings beyond a budget go to sorted runs on disk, and the finished lexical index is written at once and
    // read back from its file, so it is not in memory while the vectors load (docs/BENCHMARKS.md "#23 reindex memory").
    this.dropBuild();
    if (this.opts.dir !== null) this.build = buildFolder(this.opts.dir);
    try {
      await this.rebuildLexical(this.opts.analyzedPages, this.build);
    } catch (err) {
      this.lexical.discardSpill();
      this.dropBuild();
      throw err;
    }
    this.isOpen = true;
    try {
      await this.onStep?.('lexical write', this.lexical.size);
      await this.useModel(model, dimension);
      // The rows were just rebuilt from the store; when they are byte for byte those of the last snapshot, its
      // graph is theirs (checked against the snapshot's checksum) and rebuilding it would only repeat minutes of work.
      const vectors = this.vectors as VectorIndex | null; // set by useModel above
      if (previous !== null && vectors?.adoptGraph(previous) === true)
        this.opts.onProgress?.('vector graph reused', vectors.size, vectors.size);
      await this.sync();
      await this.onStep?.('vectors', vectors?.size ?? 0);
    } catch (err) {
      // Stopped or failed after the lexical file was written: its build folder goes too (no generation was saved).
      this.dropBuild();
      throw err;
    }
  }

  /** The current snapshot's vector file when it holds vectors of `model`; null otherwise. */
  private snapshotVectorsOf(model: string): string | null {
    const dir = this.opts.dir === null ? null : currentSnapshot(this.opts.dir);
    if (dir === null) return null;
    return readSnapshotState(dir)?.vectorModel === model ? join(dir, 'vectors.bin') : null;
  }

  /**
   * Rebuilds the lexical index from every stored paper; with `analyzed`, from papers read and analyzed on
   * another thread (`rebuild` only: the analysis is the larger part of a build, docs/BENCHMARKS.md "#23
   * reindex and embed speed").
   */
  async rebuildLexical(
    analyzed?: (pageSize: number) => AsyncIterable<AnalyzedPage>,
    build: string | null = null,
  ): Promise<void> {
    const seq = await this.store.papers.latestChangeSeq();
    const total = await this.store.papers.count();
    const fresh = createLexicalIndex().limitMemory(this.lexicalLimits());
    // `this.lexical` is the index a failed build discards the spill of.
    if (build !== null) {
      fresh.spillPostings(join(build, 'runs'), this.opts.buildMemoryBytes ?? DEFAULT_BUILD_MEMORY_BYTES);
      this.lexical = fresh;
    }
    let done = 0;
    if (analyzed === undefined) {
      for await (const page of this.store.papers.scan(PAGE)) {
        this.checkStop();
        for (const p of page) fresh.add(toLexicalDoc(p));
        done += page.length;
        this.opts.onProgress?.('lexical index', done, total);
      }
    } else {
      for await (const page of analyzed(PAGE)) {
        this.checkStop();
        // The worker numbered its new terms from an empty vocabulary in the same order: they get the same ids here.
        page.newTerms.forEach((term, i) => {
          if (fresh.termId(term) !== page.firstTerm + i)
            throw new AppError('INTERNAL', `lexical rebuild: term "${term}" numbered out of step`);
        });
        for (const doc of analyzedDocs(page)) fresh.addAnalyzed(doc);
        done += page.ids.length;
        this.opts.onProgress?.('lexical index', done, total);
      }
    }
    if (build !== null) {
      await this.onStep?.('lexical postings', done);
      fresh.saveAndReopen(join(build, 'lexical.bin'));
    }
    this.lexical = fresh;
    this.lexicalBase = null;
    this.state.lexicalSeq = seq;
    this.papersChanged(null);
    this.unsaved += Math.max(1, done);
  }

  /** Switches the vector index to `model` (or none), loading its snapshot or rebuilding from stored vectors. */
  useModel(model: string | null, dimension: number): Promise<void> {
    // One switch at a time: a search arriving while serve loads the vectors (which waits for the graph check)
    // then finds them loaded, rather than loading the same 3 GB snapshot a second time beside it.
    const next = this.switching.then(() => this.switchModel(model, dimension));
    this.switching = next.catch(() => undefined);
    return next;
  }

  private switching: Promise<void> = Promise.resolve();

  private async switchModel(model: string | null, dimension: number): Promise<void> {
    if (model === null) {
      this.vectors = null;
      this.state = { ...this.state, vectorModel: null, vectorSeq: 0 };
      return;
    }
    if (this.state.vectorModel === model && this.vectors !== null) return;
    const index = this.newVectorIndex(dimension, model);
    let seq = 0;
    // Another process (`paperboy train` or `embed`) may have written a snapshot of this model since we loaded.
    if (this.savedVectorState?.vectorModel !== model) this.adoptNewerSnapshot(model);
    const saved = this.savedVectorState;
    const file = this.snapshotDir !== null ? join(this.snapshotDir, 'vectors.bin') : null;
    if (file !== null && saved?.vectorModel === model && !this.refusedFiles.has(file) && existsSync(file)) {
      const graphChecksum = this.takeGraphCheck(`${file}.hnsw`);
      try {
        const clock = this.clock;
        const loadOpts = {
          ...this.checks(file),
          ...(clock === null
            ? {}
            : { onStep: (step: string, path: string) => void clock.mark(step, basename(path)) }),
        };
        // The rows open while the graph's check (started ahead on a worker) still reads; it is waited for next.
        if (graphChecksum === null) index.load(file, loadOpts);
        else await index.loadChecked(file, { ...loadOpts, graphChecksum });
        seq = saved.vectorSeq;
        if (sidecarOutdated(file)) this.unsaved += 1;
        else
          this.vectorBaseAt = { index, vectorSeq: seq, papersSeq: saved.vectorPapersSeq ?? saved.lexicalSeq };
      } catch (err) {
        this.refused(file, err);
        seq = 0;
      }
      // Papers deleted after the vectors were read (and already applied to the lexical index) leave them too.
      if (seq > 0)
        await this.dropDeleted(index, saved.vectorPapersSeq ?? saved.lexicalSeq, this.state.lexicalSeq);
    }
    this.vectors = index;
    this.state = { ...this.state, vectorModel: model, vectorSeq: seq };
    await this.syncVectors();
    this.clock?.mark('vectors sync');
  }

  /** Set by `rebuild`, which trusts no snapshot: vectors then come from the store alone. */
  private fromStoreOnly = false;

  /** Points the vector load at the current snapshot generation on disk when it holds vectors of `model`. */
  private adoptNewerSnapshot(model: string): void {
    if (this.fromStoreOnly) return;
    const dir = this.opts.dir === null ? null : currentSnapshot(this.opts.dir);
    if (dir === null || dir === this.snapshotDir) return;
    // A snapshot being replaced under us reads as null: the vectors are rebuilt from the store instead.
    const state = readSnapshotState(dir);
    if (state?.vectorModel !== model) return;
    this.snapshotDir = dir;
    this.savedVectorState = state;
  }

  /** Removes from `index` the papers deleted in the store's change log after `from`, up to `to`. */
  private async dropDeleted(index: VectorIndex, from: number, to: number): Promise<void> {
    for (let seq = from; seq < to; ) {
      const changes = await this.store.papers.changesSince(seq, PAGE);
      if (changes.length === 0) break;
      for (const c of changes) if (c.seq <= to && c.op !== 'upsert') index.remove(c.paperId);
      seq = changes[changes.length - 1]?.seq ?? to;
    }
  }

  /**
   * What `paperboy embed` and `train` write when they finish: a generation whose vector index (rows and HNSW
   * graph) is brought up to date with the store's vectors of `model`, and whose lexical file is the current
   * generation's, linked unchanged. The lexical index is not rebuilt here: that is `reindex`'s job (which
   * rebuilds it from the store whatever a snapshot says, and reuses this graph when the rows are the same),
   * and a first `serve` or `search` builds it otherwise. At 2.7M papers rebuilding and rewriting it was the
   * larger part of `embed` (docs/BENCHMARKS.md "#23 embed time (h24e)"). Nothing is written without a folder.
   * @returns whether the generation holds a lexical snapshot (false: none existed to carry over)
   */
  async snapshotVectors(model: string, dimension: number): Promise<{ lexical: boolean }> {
    const builder = await this.vectorSnapshot(model, dimension, { follow: false });
    return builder === null ? { lexical: false } : builder.write();
  }

  /**
   * `snapshotVectors` for an embedding pass about to run: the vectors are read as batches are stored (`more`)
   * and the generation written at `finish`, on another thread when the folder and store allow one (then the
   * graph is grown beside the embedding, not after it: docs/BENCHMARKS.md "#23 embed time (h24e)"). A worker
   * that fails is reported and the snapshot built here instead.
   */
  followVectors(model: string, dimension: number): VectorSnapshotFollower {
    const here: VectorSnapshotFollower = {
      more: () => undefined,
      finish: () => this.snapshotVectors(model, dimension),
      cancel: async () => undefined,
    };
    const start = this.opts.vectorSnapshotInWorker;
    if (this.opts.dir === null || start === undefined) return here;
    const worker = start(model, dimension);
    return {
      more: () => worker.more(),
      finish: () =>
        worker.finish().catch((err: unknown) => {
          this.refused(join(this.opts.dir ?? '', 'vectors.bin'), err);
          return here.finish();
        }),
      cancel: () => worker.cancel(),
    };
  }

  /**
   * The vector snapshot of `snapshotVectors` in two steps: `catchUp` adds the vectors stored since the last call
   * (an embedding pass calls it as batches land, so the graph grows while papers are embedded), `write` catches up
   * a last time and writes the generation. With `follow`, a new graph is grown page by page as rows arrive;
   * without, it is built once at `write` over all of them. Null without a snapshot folder.
   */
  async vectorSnapshot(
    model: string,
    dimension: number,
    opts: { follow: boolean },
  ): Promise<VectorSnapshotBuilder | null> {
    const dir = this.opts.dir;
    if (dir === null) return null;
    const current = currentSnapshot(dir);
    const prior = current === null ? null : readSnapshotState(current);
    // Read before the vectors: a paper deleted later is replayed on them when they load.
    const papersSeq = await this.store.papers.latestChangeSeq();
    const make = (): VectorIndex => this.newVectorIndex(dimension, model);
    let index = make();
    let seq = 0;
    const priorVectors = current === null ? null : join(current, 'vectors.bin');
    if (priorVectors !== null && prior?.vectorModel === model && existsSync(priorVectors)) {
      try {
        index.load(priorVectors);
        seq = prior.vectorSeq;
        await this.dropDeleted(index, prior.vectorPapersSeq ?? prior.lexicalSeq, papersSeq);
      } catch (err) {
        this.refused(priorVectors, err);
        index = make();
        seq = 0;
      }
    }
    if (seq === 0) {
      // Room for every row up front (growing by doubling would copy 1.4 GB of rows at 2.7M papers): followed, the
      // vectors are still being made, and a paper has at most one. Not followed, the graph is built once over all
      // of them (as a rebuild does).
      index.reserve(opts.follow ? await this.store.papers.count() : await this.store.vectors.count(model));
      if (!opts.follow) index.deferGraph();
    }
    const catchUp = async (): Promise<number> => {
      let added = 0;
      for (;;) {
        const rows = await this.store.vectors.since(model, seq, PAGE);
        if (rows.length === 0) return added;
        // Vector rows go with their paper (a deletion removes both), so every row read belongs to a stored paper.
        index.addMany(rows.map((r) => [r.paperId, r.vector] as const));
        seq = rows[rows.length - 1]?.seq ?? seq;
        added += rows.length;
        this.opts.onProgress?.('vector index', index.size, null);
      }
    };
    const write = async (): Promise<{ lexical: boolean }> => {
      await catchUp();
      const lexicalFile = current === null ? null : join(current, 'lexical.bin');
      const keepLexical =
        lexicalFile !== null &&
        prior !== null &&
        prior.lexicalSeq > 0 &&
        prior.docFeatures === DOC_FEATURES &&
        existsSync(lexicalFile);
      let lexical = false;
      saveSnapshot(dir, (gen) => {
        if (keepLexical) lexical = linkOrCopy(lexicalFile, join(gen, 'lexical.bin'));
        index.save(join(gen, 'vectors.bin'), { layout: this.graphLayout() });
        const state: SnapshotState = {
          lexicalSeq: lexical ? (prior?.lexicalSeq ?? 0) : 0,
          vectorModel: model,
          vectorSeq: seq,
          docFeatures: DOC_FEATURES,
          vectorPapersSeq: papersSeq,
        };
        writeFileSync(join(gen, 'state.json'), JSON.stringify(state), { mode: 0o600 });
      });
      return { lexical };
    };
    return { catchUp, write };
  }

  /**
   * Brings both indexes up to date for `model` and writes a snapshot, so that the next process to search
   * (a CLI `search`, a restarted `serve`) loads the vector index instead of rebuilding it for minutes.
   * `paperboy train` and `paperboy embed` call it when they finish.
   */
  async snapshotFor(model: string | null, dimension: number): Promise<void> {
    await this.open();
    await this.useModel(model, dimension);
    await this.sync();
    this.save({ layoutGraph: true });
  }

  private lastSyncMs = Number.NEGATIVE_INFINITY;
  /** The store's change counter as read before the last sync of `upToDate` (NaN: none yet). */
  private lastSyncVersion = Number.NaN;

  /**
   * The one way a feature brings the indexes up to date before reading them: opens them once, follows the
   * active model when `embedder` is given (a failing embedder means lexical only, returned as the Error),
   * and applies store changes when the store's change counter moved since the last sync, or that sync is at
   * least `maxAgeMs` old (0: always).
   */
  async upToDate(
    embedder?: () => Promise<Embedder | null>,
    maxAgeMs = 200,
  ): Promise<Embedder | Error | null> {
    return (await this.readable(embedder, maxAgeMs, Number.POSITIVE_INFINITY)).used;
  }

  /**
   * `upToDate` for a search, which waits at most `waitMs` for a large sync: more than a page of changes, or papers
   * enough to analyze on a worker thread (an import beside serve writes thousands a second, and a sync of 13,000 of
   * them took 3 s, every search waiting for it). Past that it answers from the indexes as they stand, `behind` true:
   * the caller must not keep that answer under the store's change counter (it may miss papers the counter counts)
   * and may say so. A smaller sync is always waited for.
   */
  async readable(
    embedder: (() => Promise<Embedder | null>) | undefined,
    maxAgeMs: number,
    waitMs: number,
  ): Promise<{ used: Embedder | Error | null; behind: boolean }> {
    await this.open();
    if (this.damage.size > 0 || this.recovering !== null) await this.recover();
    let used: Embedder | Error | null = null;
    if (embedder !== undefined) {
      try {
        used = await embedder();
      } catch (err) {
        used = err instanceof Error ? err : new Error(String(err));
      }
      if (used instanceof Error) await this.useModel(null, 0);
      else await this.useModel(used?.model ?? null, used?.dimension ?? 0);
    }
    const at = (this.opts.elapsedMs ?? Date.now)();
    // The store's change counter, read before the sync that follows it: an answer reflects at least every write
    // the counter had counted when it was asked, so a cache keyed by the counter (anonymous search answers) never
    // keeps an answer that misses a paper under a counter that includes it. Without it, a search within 200 ms of
    // the last sync answered from before a paper another process had just stored, and that answer was served
    // for up to a minute (until the counter moved again).
    const version = await this.store.listings.version();
    if (at - this.lastSyncMs >= maxAgeMs || version !== this.lastSyncVersion) {
      this.lastSyncMs = at;
      this.lastSyncVersion = version;
      const started = this.sync();
      const ours: Promise<number> = started.finally(() => {
        if (this.counted === ours) this.counted = null;
      });
      this.counted = ours;
    }
    // The sync that applies what the counter counts, started by this call or by one a moment before under the same
    // counter (which answered while it ran before: an answer that missed papers the counter counted).
    const counted = this.counted;
    if (counted === null) return { used, behind: false };
    if (waitMs === Number.POSITIVE_INFINITY) {
      await counted;
      return { used, behind: false };
    }
    let timer: NodeJS.Timeout | undefined;
    const waited = await Promise.race([
      counted.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), waitMs))),
    ]).finally(() => clearTimeout(timer));
    if (waited) return { used, behind: false };
    if (!this.bulkSync) {
      await counted;
      return { used, behind: false };
    }
    // Its failure is met by the next search, which syncs again.
    counted.catch(() => undefined);
    return { used, behind: true };
  }

  /** The sync `readable` started for the change counter read last, until it settles. */
  private counted: Promise<number> | null = null;
  /**
   * Set while a sync applies more than a page of changes, or adds enough papers to analyze them on a worker, and while a
   * rewritten lexical file is adopted (see `readable`, `adoptRewrite`).
   */
  private bulkSync = false;

  /**
   * Reads the rest of the snapshots opened lazily between other work, so a server's searches after start
   * never wait for a block of postings or vectors to be read: steps of `stepBytes`, as many as fit in
   * `sliceMs`, then the event loop runs. (Slices of 8 MiB at once held searches up to 400 ms at 300k papers
   * right after a restart, docs/BENCHMARKS.md "#23 search after a restart".)
   * @example await indexes.readAhead(); // serve, once the indexes are open
   */
  async readAhead(stepBytes = READ_AHEAD_STEP_BYTES, sliceMs = READ_AHEAD_SLICE_MS): Promise<void> {
    // Between slices other work runs; no slice starts while a search is being answered (`searching`), since a
    // slice run between a search's awaits adds its length to that search (h24p: the first seconds' tail).
    const pause = async (): Promise<void> => {
      await new Promise((resolve) => setImmediate(resolve));
      while (this.active > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    };
    // The block checks start at once on their worker, and searches starting meanwhile wait for them.
    const checks = this.holdSearchesFor(this.checkSectionsInWorker());
    this.trackStartChecks(checks);
    await pause();
    /** Steps until done (false) or out of time with more to read (true). */
    const slice = (step: () => boolean): boolean => {
      const until = performance.now() + sliceMs;
      while (step()) if (performance.now() >= until) return true;
      return false;
    };
    try {
      await checks;
      while (slice(() => this.lexical.readAhead(stepBytes))) await pause();
      while (slice(() => this.vectors?.readAhead(stepBytes) === true)) await pause();
    } catch (err) {
      // A damaged block (`checkOnRead`): its index is rebuilt from the store now rather than at the next search.
      if (this.damage.size === 0) throw err;
      await this.recover();
      // The rebuilt index is in memory; what else is still unread (the other file) is read on.
      await this.readAhead(stepBytes, sliceMs);
    }
  }

  /**
   * While `checks` (the start-up checks) run, a helper thread started for the lexical file trusts them instead of
   * checking the file again at open, and takes no part of a search until they end (searches are held meanwhile,
   * or answered whole once the hold times out). When they end, the trusting helper is kept only if every block of
   * the file was found sound; else (a damaged block, or checks that did not cover the file because their worker
   * failed) it is closed, and a helper started later for the file checks what it reads itself.
   */
  private trackStartChecks(checks: Promise<void>): void {
    this.startChecks = true;
    const settle = (): void => {
      this.startChecks = false;
      const h = this.helper;
      if (h === null || !this.helperTrusts || h.file !== this.lexical.splitFile || this.lexicalChecked())
        return;
      void h.close();
      this.helper = null;
    };
    void checks.then(settle, settle);
  }

  /** `readAhead`'s start-up checks are running (`trackStartChecks`). */
  private startChecks = false;

  /**
   * Has the blocks of the sections still unchecked (vector rows first: a hybrid search's candidates touch rows all
   * over the file, each a 64 KiB block to read and check at first; then the postings and term sequences) read
   * and checked on a worker thread, in large sequential reads, and takes its checks: `readAhead` then has only
   * the pair signatures left to build on this thread, and the page cache holds what the first searches read.
   * A block found damaged is reported as a failed read would be; a worker that fails leaves the checks to
   * `readAhead` on this thread, as before. Searches starting meanwhile wait for it (`holdSearchesFor`).
   */
  private async checkSectionsInWorker(): Promise<void> {
    const sections = this.pagedSections();
    const bytes = sections.reduce((sum, s) => sum + (s.unchecked ? s.length : 0), 0);
    const started = performance.now();
    const damage = await checkSectionsInWorker(sections);
    // Told to `onDamage` (this.damage) as found: `readAhead` refuses the file and rebuilds its index.
    if (damage !== null) throw damage;
    if (bytes > 0) this.opts.onChecked?.(bytes, performance.now() - started);
  }

  /** The large sections both indexes read from their files (vector rows first, then postings and term sequences). */
  pagedSections(): PagedBytes[] {
    return [...(this.vectors?.pagedSections() ?? []), ...this.lexical.pagedSections()];
  }

  /**
   * From now on, heavy lexical searches (`searchLexical`) are cut into parts shared with a helper thread that
   * opens the lexical snapshot file this index reads (lexical-helper.ts): on a machine with a second core to spare
   * their answer comes in about 0.6 of the time. `serve` calls it once the indexes are open; a helper that cannot open its file or
   * stops is told to `onFailed`, and searches are then answered whole until the index reads another file.
   */
  splitLexicalSearches(opts: LexicalHelperOptions = {}): void {
    this.helperWanted = opts;
    this.shareLexicalLists();
    this.lexicalHelper();
  }

  /**
   * From now on (this index and the ones that replace it) posting lists read from a lexical snapshot are kept in
   * shared memory, so the helper of `splitLexicalSearches` borrows them as they are. `serve` calls it before it
   * opens the indexes when it will split searches: the lists its warm-up reads are then lent without a move.
   */
  shareLexicalLists(): void {
    this.sharedLists = true;
    this.lexical.limitMemory({ sharedLists: true });
  }

  private sharedLists = false;

  /** The memory limits a lexical index of this process opens with. */
  private lexicalLimits(): LexicalMemoryLimits {
    return { ...this.opts.lexicalMemory, ...(this.sharedLists ? { sharedLists: true } : {}) };
  }

  /**
   * `lexical.search(query, options)`, cut into parts shared with the helper thread when `splitLexicalSearches` started one,
   * it has opened the file the index reads now, and the search is long enough (`LexicalIndex.splitPlan`). The same
   * answer either way.
   */
  searchLexical(query: string | ParsedQuery, options: SearchOptions = {}): Promise<ScoredId[]> {
    const started = this.lexicalHelper();
    // Not before the start-up checks end: the helper may have opened the file trusting them (`trackStartChecks`).
    const helper = this.startChecks ? null : started;
    return helper === null
      ? Promise.resolve(this.lexical.search(query, options))
      : helper.search(this.lexical, query, options);
  }

  /** How the helper thread of `splitLexicalSearches` is doing; null when none runs. */
  lexicalHelperStats(): (LexicalHelperStats & { file: string }) | null {
    const h = this.helper;
    return h === null ? null : { ...h.stats(), file: h.file };
  }

  /**
   * Settles when the helper for the file the lexical index reads now has opened it (true) or cannot take searches
   * (false; also when none is wanted or the index has no file).
   */
  lexicalHelperReady(): Promise<boolean> {
    return this.lexicalHelper()?.whenReady() ?? Promise.resolve(false);
  }

  /** Ends the helper thread of `splitLexicalSearches`, if any; later searches are answered whole. */
  async closeLexicalHelper(): Promise<void> {
    this.helperWanted = null;
    const h = this.helper;
    this.helper = null;
    await h?.close();
  }

  /** The helper for the file the lexical index reads now: started (or restarted) for it when wanted and possible. */
  private lexicalHelper(): LexicalHelper | null {
    const file = this.lexical.splitFile;
    if (this.helperWanted === null || file === null) return null;
    if (this.helper?.file === file) return this.helper;
    // The index reads another file now (a rebuild, a new snapshot): the old helper's answers would not be its.
    void this.helper?.close();
    this.helper = null;
    if (this.helperRefused.has(file)) return null;
    const wanted = this.helperWanted;
    // Checked here already (serve's start-up checks, or a full read), or being checked by the start-up checks,
    // which the helper waits for (`trackStartChecks`): the helper need not check it again.
    this.helperTrusts = this.lexicalChecked() || this.startChecks;
    this.helper = startLexicalHelper(file, this.opts.lexicalMemory ?? {}, {
      ...wanted,
      checkedElsewhere: this.helperTrusts,
      onFailed: (reason) => {
        this.helperRefused.add(file);
        wanted.onFailed?.(reason);
      },
    });
    return this.helper;
  }

  /** Every block of the lexical file the index reads was checked here: another thread opening it need not. */
  private lexicalChecked(): boolean {
    return this.lexical.pagedSections().every((p) => !p.unchecked);
  }

  private helperWanted: LexicalHelperOptions | null = null;
  private helper: LexicalHelper | null = null;
  /** The helper opened its file without checking it (`checkedElsewhere`). */
  private helperTrusts = false;
  /** Files a helper failed on: not tried again. */
  private readonly helperRefused = new Set<string>();

  /**
   * Holds every search that starts from now on (in `searching`) until the start-up block checks of `readAhead` end,
   * or startCheckWaitMs after they began, or `releaseSearches`. `serve` calls it before it opens the indexes, so a
   * search arriving during the start is answered once the snapshots are checked, not beside the checks.
   */
  holdSearches(): void {
    if (this.held !== null) return;
    let release = noop;
    const done = new Promise<void>((resolve) => (release = resolve));
    this.held = { done, release };
  }

  /** Whether searches are held now (`holdSearches`): the start-up checks have not ended. */
  get searchesHeld(): boolean {
    return this.held !== null;
  }

  /** Lets held searches go on (`holdSearches`): the checks ended, or the start failed before them. */
  releaseSearches(): void {
    this.held?.release();
    this.held = null;
  }

  /** Holds searches (`holdSearches`) until `checks` settles or startCheckWaitMs has passed; returns `checks`. */
  private holdSearchesFor<T>(checks: Promise<T>): Promise<T> {
    this.holdSearches();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.opts.startCheckWaitMs ?? START_CHECK_WAIT_MS);
      timer.unref();
    });
    void Promise.race([checks.then(noop, noop), waited]).then(() => {
      clearTimeout(timer);
      this.releaseSearches();
    });
    return checks;
  }

  /** While searches are held (`holdSearches`): what they wait for, and what lets them go on. */
  private held: { done: Promise<void>; release: () => void } | null = null;

  /** Searches being answered now (`searching`). */
  private active = 0;
  /** Told when the last search being answered ends. */
  private idle: (() => void)[] = [];

  /**
   * Runs `answer` as a search being answered: background work on the indexes (`readAhead`) waits until none is,
   * except the start-up block checks, which a search waits for first while searches are held (`holdSearches`).
   * @example return indexes.searching(() => searchOnce(query, req));
   */
  async searching<T>(answer: () => Promise<T>): Promise<T> {
    // Right after a start, the block checks first (`holdSearches`); searches already being answered go on.
    if (this.held !== null) await this.held.done;
    this.active++;
    // The check workers (`checkSectionsInWorker`) hold their reads meanwhile too.
    foreground(1);
    try {
      return await answer();
    } finally {
      foreground(-1);
      if (--this.active === 0) for (const resume of this.idle.splice(0)) resume();
    }
  }

  /** Applies paper changes and new vectors since the last sync; returns how many were applied. Calls do not overlap. */
  async sync(): Promise<number> {
    while (this.syncing !== null) await this.syncing.catch(() => 0);
    this.syncing = this.applyChanges();
    try {
      return await this.syncing;
    } finally {
      this.syncing = null;
    }
  }

  private async applyChanges(): Promise<number> {
    let applied = 0;
    // The store answers at once (SQLite), so without a pace the whole sync was one turn of the event loop: 10,001
    // papers stored at once held every request 1.7 s at 2.7M. A save between two papers records the page's start,
    // and a restart applies the page's papers again (an add replaces, a removal of what is gone does nothing).
    const pace = createPacer();
    let analyzer: SyncAnalyzer | null = null;
    const pageSize = this.opts.changePage ?? PAGE;
    // The changes stored when the sync began, and no more: with papers arriving all the while (an import into the
    // store of a serving node), a sync that read until the log ran dry lasted as long as the import, and every
    // search, which waits for the sync under way, with it. The log's end is read once a page comes back full.
    let head = Number.POSITIVE_INFINITY;
    try {
      for (;;) {
        const page = await this.store.papers.changesSince(this.state.lexicalSeq, pageSize);
        if (page.length === pageSize && head === Number.POSITIVE_INFINITY) {
          head = await this.store.papers.latestChangeSeq();
          this.bulkSync = true;
        }
        const changes = page.filter((c) => c.seq <= head);
        if (changes.length === 0) break;
        const latest = [...(await this.latestOf(changes))];
        const adds = latest.reduce((n, [, paper]) => n + (paper === null ? 0 : 1), 0);
        const above = this.opts.analyzeInWorkerAbove ?? ANALYZE_IN_WORKER_ABOVE;
        if (analyzer === null && !this.analysisFailed && adds >= above) {
          analyzer = startSyncAnalyzer();
          // As many papers as that make a large sync too: at 2.7M papers 1,000 of them take about a second.
          this.bulkSync = true;
        }
        let at = analyzer === null ? 0 : await this.applyAnalyzed(latest, analyzer, pace);
        if (at < latest.length && analyzer !== null) {
          // The worker failed: the rest of the sync is analyzed here.
          await analyzer.close();
          analyzer = null;
          this.analysisFailed = true;
        }
        for (; at < latest.length; at++) {
          const [id, paper] = latest[at]!;
          this.applyPaper(id, paper === null ? null : toLexicalDoc(paper));
          await pace();
        }
        this.state.lexicalSeq = changes[changes.length - 1]?.seq ?? this.state.lexicalSeq;
        this.lexicalDrift += latest.length;
        this.papersChanged(latest.map(([id]) => id));
        applied += changes.length;
        // The log ended where it was read, or past the sync's end.
        if (changes.length < pageSize) break;
      }
    } finally {
      this.bulkSync = false;
      await analyzer?.close();
    }
    applied += await this.syncVectors();
    this.unsaved += applied;
    return applied;
  }

  /** Set when a sync's analysis thread failed: later syncs analyze on this thread. */
  private analysisFailed = false;

  /** One changed paper applied: added (or replaced) with its analyzed or plain document, or removed (null). */
  private applyPaper(id: string, doc: LexicalDoc | AnalyzedDoc | null): void {
    if (doc === null) {
      this.lexical.remove(id);
      this.vectors?.remove(id);
    } else if ('fields' in doc) this.lexical.addAnalyzed(doc);
    else this.lexical.add(doc);
  }

  /**
   * A page of changes applied in order with the added papers analyzed on `analyzer`'s thread, chunk by chunk (the
   * thread analyzes the next chunk while this one is added); each chunk's terms are numbered here in the order they
   * first appear, as adding the papers one by one numbers them, so the index is the same. Returns how many changes
   * were applied: fewer than all when the thread failed (the caller applies the rest itself).
   */
  private async applyAnalyzed(
    latest: readonly (readonly [string, Paper | null])[],
    analyzer: SyncAnalyzer,
    pace: () => Promise<void>,
  ): Promise<number> {
    const chunks: (readonly [string, Paper | null])[][] = [];
    for (let c = 0; c < latest.length; c += SYNC_CHUNK) chunks.push(latest.slice(c, c + SYNC_CHUNK));
    const answers = chunks.map((chunk) =>
      analyzer.analyze(chunk.flatMap(([, paper]) => (paper === null ? [] : [toLexicalDoc(paper)]))),
    );
    // Each answer is awaited below in turn; a failure must not go unhandled meanwhile.
    for (const answer of answers) answer.catch(() => undefined);
    let at = 0;
    for (let c = 0; c < chunks.length; c++) {
      let page: AnalyzedPage;
      try {
        page = await answers[c]!;
      } catch {
        return at;
      }
      const remap = Int32Array.from(page.newTerms, (term) => this.lexical.termId(term));
      const docs = analyzedDocs(page, remap);
      for (const [id, paper] of chunks[c]!) {
        const doc = paper === null ? null : docs.next().value;
        if (doc === undefined || (doc !== null && doc.id !== id))
          throw new AppError('INTERNAL', `lexical sync: the analysis of ${id} came back out of step`);
        this.applyPaper(id, doc);
        at++;
        await pace();
      }
      this.opts.onProgress?.('papers analyzed on a worker thread', page.ids.length, null);
    }
    return at;
  }

  private async syncVectors(): Promise<number> {
    const model = this.state.vectorModel;
    if (model === null || this.vectors === null) return 0;
    let applied = 0;
    // A rebuild from the store: room for every vector up front, then each page as one bulk add (the
    // HNSW graph inserts a batch in parallel; one by one, a 290k rebuild took minutes longer).
    // The graph is built once at the end (or adopted by `rebuild`), not grown a page at a time.
    const vectors = this.vectors;
    const rebuilding = this.state.vectorSeq === 0 && vectors.size === 0;
    if (rebuilding) {
      vectors.reserve(await this.store.vectors.count(model));
      vectors.deferGraph();
    }
    const pace = createPacer();
    const pageSize = this.opts.changePage ?? PAGE;
    // As the papers' sync: the vectors stored when it began, so `paperboy embed` writing beside a serving node does
    // not hold its searches until the embedding ends (a rebuild's graph takes those written meanwhile later).
    try {
      let head = Number.POSITIVE_INFINITY;
      for (;;) {
        this.checkStop();
        const page = await this.store.vectors.since(model, this.state.vectorSeq, pageSize);
        if (page.length === pageSize && head === Number.POSITIVE_INFINITY) {
          head = await this.store.vectors.latestSeq(model);
          this.bulkSync = true;
        }
        const rows = page.filter((r) => r.seq <= head);
        if (rows.length === 0) break;
        const entries = rows
          .filter((r) => this.lexical.has(r.paperId))
          .map((r) => [r.paperId, r.vector] as const);
        // In slices of the event loop: a page of 2,000 new vectors put in a served graph's side graph at once held
        // every request 1.0–1.5 s at 2.7M papers while serve embedded an import. (A rebuild's rows only wait for the
        // graph built at the end, and go in whole pages.)
        const chunk = rebuilding ? entries.length : VECTOR_SYNC_CHUNK;
        for (let i = 0; i < entries.length; i += chunk) {
          vectors.addMany(entries.slice(i, i + chunk));
          await pace();
          // Another model's index took its place meanwhile: it syncs from its own position.
          if (this.vectors !== vectors) return applied;
        }
        this.state.vectorSeq = rows[rows.length - 1]?.seq ?? this.state.vectorSeq;
        applied += rows.length;
        this.opts.onProgress?.('vector index', vectors.size, null);
        if (rows.length < pageSize) break;
      }
    } finally {
      this.bulkSync = false;
    }
    return applied;
  }

  /**
   * Writes snapshots when at least `minChanges` changes were applied since the last one; never called on the
   * request path (writing 75k papers' snapshots takes about a second): serve calls it on a timer and at exit.
   */
  saveIfChanged(minChanges = 1): boolean {
    if (!this.writesSnapshots || !this.isOpen || this.unsaved < minChanges) return false;
    this.save({ link: true });
    return true;
  }

  /**
   * Makes `saveIfChanged` a no-op in this process, which then only reads snapshots and follows the store.
   * With several server processes (`serve --workers N`) one writes snapshots; the others would only repeat
   * the same work (generations keep each snapshot whole either way).
   */
  followOnly(): void {
    this.writesSnapshots = false;
  }

  /** An empty vector index of `model` as this process uses them (its threshold, and the read hooks it was given). */
  private newVectorIndex(dimension: number, model: string): VectorIndex {
    const { approximateAbove, onGraphRead, onRowsRead } = this.opts;
    return createVectorIndex({
      dimension,
      approximateAbove,
      model,
      ...(onGraphRead !== undefined ? { onGraphRead } : {}),
      ...(onRowsRead !== undefined ? { onRowsRead } : {}),
    });
  }

  /**
   * How a bulk write (`reindex`, `embed`, `train`) lays out the graph file: in neighbourhood order, told to
   * `onProgress` as "graph layout". Serve's own saves keep the order the graph has in memory.
   */
  private graphLayout(): GraphLayoutOptions {
    return {
      minNodes: this.opts.graphLayoutAbove ?? 100_000,
      onProgress: (done, total) => this.opts.onProgress?.('graph layout', done, total),
    };
  }

  /**
   * Writes a snapshot generation and makes it current (see snapshot-folder.ts). With `layoutGraph` (a bulk write
   * that ends the process's work: `reindex`, `train`, `embed`), the graph file is laid out in neighbourhood order
   * (`relayoutGraphFile`), which takes about 20 s at 2.7M vectors; serve's timed saves do not ask for it. Returns
   * what the layout did (null when none was asked or there is no graph).
   */
  save(opts: { layoutGraph?: boolean; link?: boolean } = {}): GraphLayoutOutcome | null {
    const dir = this.opts.dir;
    this.unsaved = 0;
    if (dir === null) return null;
    let layout: GraphLayoutOutcome | null = null;
    let state: SnapshotState = { ...this.state, docFeatures: DOC_FEATURES };
    // Past the limit the file is written whole, on a worker thread when serve asked for that (linked meanwhile).
    const limit = this.driftLimit(this.lexical.size);
    const linked = this.lexicalDrift <= this.linkUpTo(limit) || this.rewriteAhead('lexical');
    const base = opts.link === true && linked ? this.lexicalBase : null;
    const vectorsAt = opts.link === true && opts.layoutGraph !== true ? this.vectorLink() : null;
    let vectorsLinked = false;
    // Assigned in the callback below (so typed wide: TypeScript would narrow a plain `null` for good).
    let written = null as { file: string; seq: number; linked: boolean } | null;
    this.snapshotDir = saveSnapshot(dir, (gen) => {
      const lexicalFile = join(gen, 'lexical.bin');
      if (base !== null && linkOrCopy(base.file, lexicalFile)) {
        // The file as it was, with the position it holds: the next start replays the papers changed since from the
        // change log (as many as driftLimit), and the vectors say how far deletions reached them (the position of now
        // when they are written or unchanged, their file's own when a file holding fewer changes is linked below).
        state = { ...state, lexicalSeq: base.seq, vectorPapersSeq: this.state.lexicalSeq };
        written = { file: lexicalFile, seq: base.seq, linked: true };
      } else {
        // In serve (a helper thread, background rewrites), a changed index is read from the file it is written to
        // from now on: its postings leave the heap, a helper opens that file, whose lists hold every paper again,
        // and a later rewrite starts from it.
        if ((this.helperWanted !== null || this.rewritesInBackground) && this.lexical.openedFile === null)
          this.lexical.saveAndReopen(lexicalFile);
        else this.lexical.saveTo(lexicalFile);
        written = { file: lexicalFile, seq: this.state.lexicalSeq, linked: false };
      }
      const vectors = this.vectors;
      if (vectors !== null && vectorsAt !== null && vectors.linkBase(join(gen, 'vectors.bin'))) {
        // The rows as that file holds them: a restart replays the vectors stored and papers deleted since.
        state = { ...state, vectorSeq: vectorsAt.vectorSeq, vectorPapersSeq: vectorsAt.papersSeq };
        vectorsLinked = true;
      } else if (vectors !== null) {
        layout = vectors.save(
          join(gen, 'vectors.bin'),
          opts.layoutGraph === true ? { layout: this.graphLayout() } : undefined,
        );
        this.vectorBaseAt = {
          index: vectors,
          vectorSeq: this.state.vectorSeq,
          papersSeq: this.state.lexicalSeq,
        };
      }
      writeFileSync(join(gen, 'state.json'), JSON.stringify(state), { mode: 0o600 });
    });
    this.savedVectorState = state;
    // Later links come from this generation's path (the one read or written before may be pruned).
    if (written?.linked === true) this.lexicalBase = { file: written.file, seq: written.seq };
    else if (written !== null) this.setLexicalBase(written.file, written.seq);
    // The rebuilt lexical file is linked into the generation now (the index reads the same file).
    this.dropBuild();
    if (written?.linked === true && this.lexicalDrift > limit) this.startRewrite();
    const vectorsChanged = this.vectors?.base?.changed ?? 0;
    if (vectorsLinked && vectorsChanged > this.driftLimit(this.vectors?.size ?? 0)) this.startVectorRewrite();
    return layout;
  }

  /**
   * The positions of the vector file a save may link instead of writing the rows again (1.4 GB at 2.7M papers):
   * while the rows are read in place from it with fewer changes since than the link limit. Null otherwise.
   */
  private vectorLink(): { vectorSeq: number; papersSeq: number } | null {
    const at = this.vectorBaseAt;
    const base = this.vectors?.base ?? null;
    // Unchanged since written, the rows are saved as a link of the same file with the positions of now.
    if (at === null || at.index !== this.vectors || base === null || base.unchanged) return null;
    const linked =
      base.changed <= this.linkUpTo(this.driftLimit(at.index.size)) || this.rewriteAhead('vectors');
    return linked ? at : null;
  }

  /** How many changes past the last written file a save still links it: the limit, 3x with background rewrites. */
  private linkUpTo(limit: number): number {
    return this.rewritesInBackground ? LEXICAL_DRIFT_LINK_FACTOR * limit : limit;
  }

  /**
   * Whether a save past the link limit links `index`'s file all the same: while a background rewrite of it runs, or
   * one may start after the save (none failed or could not start lately). Writing the file instead held every
   * request: 29 s at 2.7M papers after an import of 40,000 at once, whose first save found them past three times the
   * limit before any rewrite had started (docs/BENCHMARKS.md, "#23 a writer beside a serving node"). Not once the
   * rewrites are stopped (at exit), where the file is written so that the next start replays little.
   */
  private rewriteAhead(index: RewriteEvent['index']): boolean {
    if (!this.rewritesInBackground || this.onRewrite === null) return false;
    if (index === 'lexical') return this.rewriting !== null || Date.now() >= this.rewriteRetryAt;
    return this.vectorRewriting !== null || Date.now() >= this.vectorRetryAt;
  }

  /**
   * From now on, once more papers changed since the lexical file was written than serve's saves link
   * (`driftLimit`), the file is written anew on a worker thread (`rewriteLexicalInWorker`: the file it was
   * read from, with the changes applied, compacted through files, not memory) instead of on this thread, and
   * serve's saves link the old one meanwhile. When it is done the index reads the new file (the papers changed
   * while it was written replayed onto it) from a generation of its own. The vector rows likewise, once more of
   * them changed since their file than the limit (`startVectorRewrite`). `serve` calls it in the process that
   * writes snapshots; `onEvent` hears each rewrite start and end.
   */
  rewriteInBackground(onEvent: (event: RewriteEvent) => void = noop): void {
    this.rewritesInBackground = true;
    this.onRewrite = onEvent;
  }

  /** Stops the background rewrites under way (their files removed) and starts no other; for shutdown. */
  async stopRewrites(): Promise<void> {
    this.onRewrite = null;
    const runs = [this.rewriting, this.vectorRewriting];
    for (const run of runs) run?.stop.abort();
    await Promise.all(runs.map((run) => run?.done));
  }

  /** Settles once the background vector rewrite under way, if any, has ended (done, failed or stopped). */
  vectorRewriteDone(): Promise<void> {
    return this.vectorRewriting?.done ?? Promise.resolve();
  }

  /** Settles once the background rewrite under way, if any, has ended (done, failed or stopped). */
  lexicalRewriteDone(): Promise<void> {
    return this.rewriting?.done ?? Promise.resolve();
  }

  private rewritesInBackground = false;
  private onRewrite: ((event: RewriteEvent) => void) | null = null;
  private rewriting: { done: Promise<void>; stop: AbortController } | null = null;
  private rewriteRetryAt = 0;
  private vectorRewriting: { done: Promise<void>; stop: AbortController } | null = null;
  private vectorRetryAt = 0;

  private startRewrite(): void {
    const dir = this.opts.dir;
    if (
      this.onRewrite === null ||
      dir === null ||
      this.rewriting !== null ||
      Date.now() < this.rewriteRetryAt
    )
      return;
    const found = this.lexical.changesSinceFile();
    if (found === null) {
      // No file to start from: saves past the limit write the file again (`rewriteAhead`) until one can.
      this.rewriteRetryAt = Date.now() + REWRITE_RETRY_MS;
      return;
    }
    // The file the index read may be pruned by now with its generation: its latest link names the same bytes.
    const changes = { ...found, file: this.lexicalBase?.file ?? found.file };
    const seq = this.state.lexicalSeq;
    const out = join(dir, `lexical-rewrite-${process.pid}-${Date.now().toString(36)}.bin`);
    const checkedElsewhere = this.lexicalChecked();
    this.rewriting = this.runRewrite(
      'lexical',
      { changed: changes.removed.length + changes.added.length, file: changes.file },
      [out],
      async (signal) => {
        const count = await rewriteLexicalInWorker(changes, out, { checkedElsewhere, signal });
        const replayed = await this.adoptRewrite(out, seq, found.file, signal);
        return { count, replayed, file: this.lexicalBase?.file ?? out };
      },
      () => (this.rewriteRetryAt = Date.now() + REWRITE_RETRY_MS),
    );
  }

  /**
   * One background rewrite of `index`'s file (files a killed process's rewrites left removed first): told as
   * started, then `work` (the worker thread's write and the adoption of its file), told as done or failed. A failure
   * removes `leftovers` unless the new file was taken (`AdoptedButUnsaved`: kept until a later save links it into a
   * generation) and calls `failed` (the next try waits); a stop tells nothing. The index's slot is cleared at the end.
   */
  private runRewrite(
    index: RewriteEvent['index'],
    started: { changed: number; file: string },
    leftovers: string[],
    work: (signal: AbortSignal) => Promise<{ count: number; replayed: number; file: string }>,
    failed: () => void,
  ): { done: Promise<void>; stop: AbortController } {
    const tell = this.onRewrite ?? noop;
    const dir = this.opts.dir;
    if (dir !== null) removeStaleRewrites(dir);
    const stop = new AbortController();
    const at = performance.now();
    tell({ index, type: 'started', ...started });
    let done: Promise<void> | null = null;
    const clear = (): void => {
      if (index === 'lexical' && this.rewriting?.done === done) this.rewriting = null;
      if (index === 'vectors' && this.vectorRewriting?.done === done) this.vectorRewriting = null;
    };
    done = work(stop.signal)
      .then((end) => tell({ index, type: 'done', ms: performance.now() - at, ...end }))
      .catch((err: unknown) => {
        if (!(err instanceof AdoptedButUnsaved)) for (const path of leftovers) rmSync(path, { force: true });
        if (stop.signal.aborted) return;
        failed();
        tell({ index, type: 'failed', message: err instanceof Error ? err.message : String(err) });
      })
      .finally(clear);
    return { done, stop };
  }

  /**
   * The rewritten file in place of the index's (still the one read from `from`): opened, the papers changed since
   * `seq` (while it was written) replayed onto it, swapped in while no sync runs, then made a generation of its own,
   * which the index reads from then on (the temporary name is removed). Returns the papers replayed.
   */
  private async adoptRewrite(out: string, seq: number, from: string, signal: AbortSignal): Promise<number> {
    while (this.syncing !== null) await this.syncing.catch(() => 0);
    if (signal.aborted) throw new Error('stopped');
    if (this.lexical.splitFile !== from) throw new Error('the lexical index was replaced meanwhile');
    let release: (n: number) => void = noop;
    this.syncing = new Promise<number>((resolve) => (release = resolve));
    // Searches meanwhile wait for it as for a large sync (`readable`): a moment, then they answer from the index
    // as it stands, current up to the last sync (the papers changed during the rewrite can be thousands to replay).
    this.bulkSync = true;
    let replayed = 0;
    try {
      const next = openLexicalIndex(out, { checkedElsewhere: true }).limitMemory(this.lexicalLimits());
      replayed = await this.replayLexical(next, seq, this.state.lexicalSeq);
      if (signal.aborted) throw new Error('stopped');
      this.lexical = next;
      this.lexicalBase = { file: out, seq };
      this.lexicalDrift = replayed;
    } finally {
      this.bulkSync = false;
      this.syncing = null;
      release(0);
    }
    try {
      this.save({ link: true });
    } catch (err) {
      throw new AdoptedButUnsaved('lexical file', err);
    }
    const file = this.lexicalBase.file;
    if (file !== out) this.lexical.fileLinked(out, file);
    rmSync(out, { force: true });
    return replayed;
  }

  /**
   * Writes the vector rows anew on a worker thread (`rewriteVectorsInWorker`: the file they are read from with the
   * changes since applied), then reads them from the new file, made a generation of its own. Serve's saves link the
   * old file meanwhile (and before: up to the link limit, a restart replays the vectors changed since instead).
   */
  private startVectorRewrite(): void {
    const dir = this.opts.dir;
    const index = this.vectors;
    if (this.onRewrite === null || dir === null || index === null || this.vectorRewriting !== null) return;
    if (Date.now() < this.vectorRetryAt) return;
    const rewrite = index.rowsRewrite();
    if (rewrite === null) {
      // Nothing to write from (or nothing changed): saves past the limit write the rows (`rewriteAhead`) meanwhile.
      this.vectorRetryAt = Date.now() + REWRITE_RETRY_MS;
      return;
    }
    const at = { index, vectorSeq: this.state.vectorSeq, papersSeq: this.state.lexicalSeq };
    const out = join(dir, `vectors-rewrite-${process.pid}-${Date.now().toString(36)}.bin`);
    this.vectorRewriting = this.runRewrite(
      'vectors',
      { changed: index.base?.changed ?? 0, file: rewrite.file },
      [out, `${out}.hnsw`],
      async (signal) => {
        const count = await rewriteVectorsInWorker(rewrite, out, { signal });
        if (signal.aborted) throw new Error('stopped');
        if (this.vectors !== index) throw new Error('the vector index was replaced meanwhile');
        if (!index.adoptRows(out))
          throw new Error('the vector index changed in a way the new file cannot follow');
        this.vectorBaseAt = at;
        const replayed = index.base?.changed ?? 0;
        try {
          this.save({ link: true });
        } catch (err) {
          throw new AdoptedButUnsaved('vector file', err);
        }
        for (const path of [out, `${out}.hnsw`]) rmSync(path, { force: true });
        return { count, replayed, file: index.base?.file ?? out };
      },
      () => (this.vectorRetryAt = Date.now() + REWRITE_RETRY_MS),
    );
  }

  /** Each paper a page of the change log names, as stored now (null: deleted, or its last change a delete). */
  private async latestOf(changes: readonly PaperChange[]): Promise<Map<string, Paper | null>> {
    const latest = new Map(changes.map((c) => [c.paperId, c.op]));
    const upserts = [...latest].filter(([, op]) => op === 'upsert').map(([id]) => id);
    const stored = new Map((await this.store.papers.getMany(upserts)).map((p) => [p.id, p]));
    return new Map([...latest].map(([id, op]) => [id, op === 'upsert' ? (stored.get(id) ?? null) : null]));
  }

  /** The papers changed from change-log position `from` to `to` applied to `index` (lexical only): how many. */
  private async replayLexical(index: LexicalIndex, from: number, to: number): Promise<number> {
    let at = from;
    let papers = 0;
    while (at < to) {
      const changes = (await this.store.papers.changesSince(at, PAGE)).filter((c) => c.seq <= to);
      if (changes.length === 0) break;
      const latest = await this.latestOf(changes);
      for (const [id, paper] of latest) {
        if (paper !== null) index.add(toLexicalDoc(paper));
        else index.remove(id);
      }
      at = changes[changes.length - 1]?.seq ?? to;
      papers += latest.size;
    }
    return papers;
  }

  private setLexicalBase(file: string, seq: number): void {
    this.lexicalBase = { file, seq };
    this.lexicalDrift = 0;
  }

  /**
   * How many papers may change after the lexical file was written before serve's own saves write it again rather
   * than link it: 2% of the papers, at least 1,000 and at most 10,000. Writing it is the whole file (1.6 GB at 2.7M
   * papers: 43 s on the event loop and 6.2 GB at its peak when serve did it on its own thread; on the rewrite thread
   * with `rewriteLexicalInBackground`); linking it costs nothing, but a restart replays the
   * papers changed since from the change log before it answers: at 2.7M, 10,000 of them added 6.8 s to the open and
   * 54,000 (2%) added 19 s (docs/BENCHMARKS.md, "#23 a 2.7M node taking papers in while it serves").
   */
  private driftLimit(size: number): number {
    return Math.min(LEXICAL_DRIFT_MAX, Math.max(1000, Math.floor(size * LEXICAL_DRIFT_SHARE)));
  }

  /** The temporary folder of the last `rebuild` (runs, the lexical file until saved), or null. */
  private build: string | null = null;

  private dropBuild(): void {
    if (this.build !== null) rmSync(this.build, { recursive: true, force: true });
    this.build = null;
  }
}

/** A rewritten lexical file swapped in whose generation could not be written: the file stays where it is. */
class AdoptedButUnsaved extends Error {
  constructor(what: string, cause: unknown) {
    super(
      `the new ${what} is in use, but its snapshot could not be written (${cause instanceof Error ? cause.message : String(cause)})`,
    );
  }
}

/**
 * Removes what background rewrites of processes no longer running left in `dir` (a process killed while its worker
 * wrote: the file and the compaction's temporary files, about the lexical file's size each).
 */
function removeStaleRewrites(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^(?:lexical|vectors)-rewrite-(\d+)-/.exec(name)?.[1] ?? Number.NaN);
    if (!Number.isInteger(pid) || pid === process.pid || processAlive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/** The state file of a snapshot generation; null when it is missing or unreadable (being replaced, damaged). */
function readSnapshotState(dir: string): SnapshotState | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SnapshotState;
  } catch {
    return null;
  }
}

/**
 * Puts an existing snapshot file into a new generation: a hard link (snapshot files are never changed once
 * written), else a copy; false when neither works (the file was pruned meanwhile), and the generation goes without.
 */
function linkOrCopy(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch {
    try {
      copyFileSync(from, to);
      return true;
    } catch {
      return false;
    }
  }
}
