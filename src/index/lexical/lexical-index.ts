// In-memory BM25F inverted index over title, abstract and authors, with filters, phrases and binary snapshots.
import type { ScoredId } from '../../domain/scored.ts';
import { AppError } from '../../errors.ts';
import { resolveBm25fOptions, type Bm25fOverrides, type Bm25fOptions } from './bm25f-options.ts';
import { addTermScores, makeAccumulator, resetAccumulator, type Accumulator } from './bm25f-scorer.ts';
import { parseDateBound } from './date-bound.ts';
import { FIELDS } from './doc-table.ts';
import { FIELD_BREAK } from './forward-store.ts';
import { decodeState, encodeState, openState, writeStateFile, type OpenOptions } from './index-codec.ts';
import { linkOrCopyFile } from '../file-bytes.ts';
import { fileSource, type PagedBytes } from '../snapshot-sections.ts';
import { PostingRuns } from './posting-runs.ts';
import { emptyState, internTerm, type IndexState } from './index-state.ts';
import { SIGNATURE_BYTES } from './pair-signatures.ts';
import { packTf } from './postings.ts';
import { parseQuery, restrictingParts, type ParsedQuery } from './query.ts';
import { compileFilter, requiredPhrases, type SearchFilter } from './search-filter.ts';
import { analyze } from './tokenizer.ts';
import { maxScoreTop, type DocSpan, type QueryTerm } from './max-score.ts';
import type { SharedScores } from './shared-top.ts';
import { scoreDocs } from './candidate-scores.ts';
import { selectTop } from './select-top.ts';
import { TermBounds } from './term-bounds.ts';
import { TermCounter } from './term-counter.ts';
import type { LexicalDoc } from './lexical-doc.ts';
import { analyzeDoc, type AnalyzedDoc } from './analyzed-doc.ts';
import { forEachPhraseMatch } from './phrase-match.ts';
import { docsMatchingAnyWord, matchScratch, type MatchScratch } from './word-match.ts';

export type { LexicalDoc } from './lexical-doc.ts';
export type { DocSpan } from './max-score.ts';
export type { AnalyzedDoc } from './analyzed-doc.ts';
export { applyLexicalChanges, type LexicalChanges } from './lexical-changes.ts';
import type { LexicalChanges } from './lexical-changes.ts';

/** Distinct query terms scored at most; the rest of a very long query is ignored. */
export const MAX_QUERY_TERMS = 256;
/**
 * A long query (a pasted text, `ParsedQuery.long`) is scored on its this-many most informative terms: the
 * highest `(1 + ln qtf) · idf`, so the rare words that say what the text is about (ties: first seen). See
 * docs/DESIGN.md "Long queries" for how the number was measured.
 */
export const LONG_QUERY_TERMS = 32;
export const MAX_K = 10_000;
/**
 * Queries with at most this many terms are answered by MaxScore pruning; longer ones (more-like-this
 * queries built from a whole abstract) visit so many documents per term that term-at-a-time is faster.
 */
export const PRUNE_MAX_TERMS = 12;

/** Filters given beside the query text (e.g. from URL parameters); merged with the query's own. */
export type SearchFilters = Partial<Pick<ParsedQuery, 'authors' | 'categories' | 'since' | 'before'>>;

export interface SearchOptions {
  /** How many results to return; default 10, range 1–10,000. */
  readonly k?: number;
  readonly filters?: SearchFilters;
  /**
   * Skip documents that cannot reach the top k (MaxScore; same results). Default true; false scores every
   * posting, for tests and benchmarks that compare the two.
   */
  readonly prune?: boolean;
  /**
   * With `prune`, pass over sealed blocks whose stored maxima cannot reach the top k (block-max MaxScore;
   * same results). Default true; false prunes by whole-term bounds only, for tests and benchmarks.
   */
  readonly blockMax?: boolean;
  /** A long query is scored on this many of its most informative terms (default LONG_QUERY_TERMS). */
  readonly longTerms?: number;
  /**
   * 'rarest': a long query's `longTerms` are its rarest terms (highest idf, however often the text repeats
   * them), whose lists are the shortest; default 'informative', `(1 + ln qtf) · idf`.
   */
  readonly longTermsBy?: 'informative' | 'rarest';
  /**
   * Only documents in this span of document numbers (one part of a search cut in parts, see `splitPlan`);
   * default all.
   */
  readonly span?: DocSpan;
  /**
   * A score that k documents outside `span` already reach: documents in the span scoring below it may be left
   * out (a MaxScore search then prunes from the start). Default none.
   */
  readonly floor?: number;
  /**
   * The scores of the threads searching the other parts of the same search (see shared-top.ts): this one offers
   * its documents' scores there and prunes by its floor as it rises. Default none.
   */
  readonly shared?: SharedScores;
}

/** A query made ready for `searchPrepared`: filters merged in, its filter compiled, its terms weighed. */
export interface PreparedSearch {
  readonly q: ParsedQuery;
  readonly filter: SearchFilter;
  readonly weights: ReadonlyMap<number, number>;
}

/**
 * A search cut into parts at the documents `cuts` (see `LexicalIndex.splitPlan`): this thread and another that
 * opened the same snapshot `file` each take parts until none is left (`searchSplitParts`), and
 * `mergeSplitParts` joins their lists.
 */
export interface SplitPlan {
  /** The query with the search's filters merged in: what every part searches. */
  readonly query: ParsedQuery;
  readonly k: number;
  /**
   * The snapshot file whose sealed lists the index searches (`LexicalIndex.splitFile`): the other thread opens the
   * same.
   */
  readonly file: string;
  /**
   * The parts' bounds, increasing: part i is the documents cuts[i]..cuts[i + 1]−1; the first is 0, the last
   * the index's document count. At least two parts.
   */
  readonly cuts: readonly number[];
  /**
   * Parts 0 .. shared − 1 hold the documents of `file`, which either thread may search; the one after them, if any,
   * holds the documents added since the index read the file, which only this index holds.
   */
  readonly shared: number;
  /** The query's scored terms (ids of this index and of any other opened from `file`). */
  readonly terms: readonly number[];
  /** The same terms with their query weights, in query order: what every part scores, on either thread. */
  readonly weights: readonly (readonly [term: number, weight: number])[];
  /** The statistics the scores depend on, for the other thread to take on (`LexicalIndex.adoptSplit`). */
  readonly stats: SplitStats;
}

/**
 * What a document's score depends on beside its own postings and lengths: the live document count, each field's
 * summed length over the live documents, and the document frequency of each term of the plan's `weights`.
 */
export interface SplitStats {
  readonly liveCount: number;
  readonly lengthSums: readonly number[];
  readonly df: readonly number[];
}

/**
 * A search whose lists hold fewer postings than this is answered in one piece: cutting it saves less than
 * handing parts to another thread costs (docs/BENCHMARKS.md, "#23 a search cut in two").
 */
export const SPLIT_MIN_POSTINGS = 200_000;

/**
 * Parts a cut search is made of. Each thread takes the next part left when it is done with one, so a thread
 * slowed by other work (start-up checks, table builds) leaves the other to do more; a thread carries the k-th
 * best score it has into its next part as the part's `floor`, and both share their scores as they go (`SharedTop`).
 */
export const SPLIT_PARTS = 8;

/** Sizes, for benchmarks and `paperboy reindex` output. */
export interface LexicalIndexStats {
  documents: number;
  terms: number;
  postings: number;
  forwardBytes: number;
}

/**
 * The lexical index. `add` inserts or replaces a document, `remove` deletes one; both show in the next
 * search. `serialize` snapshots it for a restart without a rebuild.
 * @example
 * const index = createLexicalIndex();
 * index.add({ id: '2503.11677', title: 'Prosthetic vision', abstract: '…', authors: ['D. Palanker'], categories: ['cs.CV'], date: '2025-03-18' });
 * index.search('prosthetic vision cat:cs.CV', { k: 5 }); // [['2503.11677', 3.1]]
 */
/** Memory bounds of a lexical index (see `LexicalIndex.limitMemory`). */
export interface LexicalMemoryLimits {
  postingsCacheBytes?: number;
  pairSignatureBytes?: number;
  /**
   * Keep lists read from the snapshot file in shared memory: a serving thread whose kept lists a helper thread
   * borrows (`withLentLists`) then lends them as they are (reading into a SharedArrayBuffer costs more than into
   * an ordinary one, so only where they are lent).
   */
  sharedLists?: boolean;
}

export class LexicalIndex {
  private acc: Accumulator | null = null;
  /** Reused by `matchDates` (trends ask it once per series): no 600 KB of fresh arrays per query. */
  private scratch: MatchScratch | null = null;
  private readonly counter = new TermCounter();
  private readonly bounds = new TermBounds();

  /** @internal Use createLexicalIndex or loadLexicalIndex. */
  constructor(private state: IndexState) {}

  get options(): Bm25fOptions {
    return this.state.options;
  }

  /**
   * Bounds what this index keeps in memory beside its snapshot file (#23): bytes of posting lists read from
   * the file and kept for later searches, and bytes of phrase pair signatures. Answers do not change.
   * @example index.limitMemory({ postingsCacheBytes: 32 << 20, pairSignatureBytes: 64 << 20 });
   */
  limitMemory(limits: LexicalMemoryLimits): this {
    this.limits = { ...this.limits, ...limits };
    return this.applyLimits(limits);
  }

  private applyLimits(limits: LexicalMemoryLimits): this {
    const { postings, forward } = this.state;
    if (limits.postingsCacheBytes !== undefined) {
      postings.cacheBytes = limits.postingsCacheBytes;
      postings.trimKept();
    }
    if (limits.sharedLists !== undefined) postings.shareLists = limits.sharedLists;
    if (limits.pairSignatureBytes !== undefined) {
      forward.pairs.capacity = Math.max(1, Math.floor(limits.pairSignatureBytes / SIGNATURE_BYTES));
      // Signatures built past a smaller capacity are dropped and rebuilt as asked.
      if (forward.pairs.held > forward.pairs.capacity) forward.pairs.reset();
    }
    return this;
  }

  /** What the memory-bounded parts hold now, in bytes (tests and memory figures). */
  memoryHeld(): { postingsKeptBytes: number; pairSignatureBytes: number } {
    return {
      postingsKeptBytes: this.state.postings.keptByteLength,
      pairSignatureBytes: this.state.forward.pairs.held * SIGNATURE_BYTES,
    };
  }

  /** Number of live documents. */
  get size(): number {
    return this.state.docs.liveCount;
  }

  has(id: string): boolean {
    return this.state.docs.find(id) !== undefined;
  }

  /** Inserts a document, replacing any document with the same id. Throws AppError('BAD_INPUT') for a malformed one. */
  add(doc: LexicalDoc): void {
    this.addAnalyzed(analyzeDoc(doc, (t) => internTerm(this.state, t)));
  }

  /**
   * The id of `term` in this index's vocabulary, numbering it (next free id) when new. With `addAnalyzed`, for
   * documents analyzed elsewhere against a vocabulary kept in step with this one.
   */
  termId(term: string): number {
    return internTerm(this.state, term);
  }

  /**
   * The `count` terms held by the most papers, most first (ties: lower id first): the lists most searches read.
   * @example index.commonTerms(2) // ['model', 'learn']
   */
  commonTerms(count: number): string[] {
    const { df, terms } = this.state;
    const n = Math.min(terms.size, df.length);
    const top: number[] = [];
    for (let t = 0; t < n; t++) {
      const f = df[t] ?? 0;
      if (f === 0 || (top.length >= count && f <= (df[top[top.length - 1]!] ?? 0))) continue;
      let at = top.length;
      while (at > 0 && (df[top[at - 1]!] ?? 0) < f) at--;
      top.splice(at, 0, t);
      if (top.length > count) top.pop();
    }
    return top.map((t) => terms.at(t));
  }

  /** Number of terms in the vocabulary (the id the next new term gets). */
  get vocabularySize(): number {
    return this.state.terms.size;
  }

  /**
   * Inserts a document already analyzed (`analyzeDoc`) against this index's vocabulary (ids from `termId`),
   * replacing any document with the same id: `add` without the text analysis.
   */
  addAnalyzed(doc: AnalyzedDoc): void {
    this.remove(doc.id);
    this.savedFile = null;
    this.openedFile = null;
    // Every term's bounds move with the average field lengths (BM25F's length normalisation): each is taken again
    // (from the stored bounds, scaled, while the sealed lists are the file's).
    this.bounds.clear();
    const s = this.state;
    const { fields } = doc;
    const counter = this.counter;
    counter.begin();
    fields.forEach((terms, f) => {
      for (const t of terms) counter.count(t, f);
    });
    const d = s.docs.push(
      doc.id,
      doc.date,
      fields.map((f) => f.length),
    );
    s.forward.append(fields);
    for (const t of counter.distinct) {
      s.postings.add(t, d, packTf(counter.get(t, 0), counter.get(t, 1), counter.get(t, 2)));
      s.df[t] = (s.df[t] ?? 0) + 1;
    }
    for (const t of doc.tags) s.postings.add(t, d, 0);
    if (s.postings.wantsSeal()) {
      s.postings.seal(s.docs.alive, null, s.terms.size);
      this.listsRewritten();
    }
  }

  /** Deletes a document; false when the id is not indexed. */
  remove(id: string): boolean {
    const s = this.state;
    const d = s.docs.find(id);
    if (d === undefined) return false;
    this.savedFile = null;
    this.openedFile = null;
    this.bounds.clear();
    for (const t of new Set(s.forward.read(d, []))) if (t >= 0) s.df[t] = Math.max((s.df[t] ?? 0) - 1, 0);
    s.docs.kill(d);
    if (this.splitFile !== null && d < this.splitDocs) this.splitKills.push(d);
    const dead = s.docs.count - s.docs.liveCount;
    if (dead > 1024 && dead > s.docs.liveCount / 4) this.compact();
    return true;
  }

  /**
   * Top-k documents for a query string (parsed with `parseQuery`) or a parsed query, best first. Filters
   * apply before the top k is taken. A query with only filters lists matching papers newest first, score 0.
   */
  search(query: string | ParsedQuery, options: SearchOptions = {}): ScoredId[] {
    checkK(options.k ?? 10);
    return this.searchPrepared(this.prepareSearch(query, options), options);
  }

  /**
   * @internal `search` of a query `prepareSearch` made ready, for the parts of one cut search (`searchSplitParts`):
   * its filter (category, author, exclusion masks) is built once, not once a part. Valid while the index is
   * unchanged.
   */
  searchPrepared(prepared: PreparedSearch, options: SearchOptions = {}): ScoredId[] {
    const k = options.k ?? 10;
    checkK(k);
    const { q, filter, weights } = prepared;
    // MaxScore walks only the span's documents; the other ways test each against it.
    const spanned = withinSpan(filter, options.span);
    if (weights.size === 0) return q.words.length + q.phrases.length > 0 ? [] : this.browse(spanned, k);
    const ids = this.state.docs.ids;
    if (this.prunes(options, filter, weights)) {
      const terms = [...weights].map(([term, weight]): QueryTerm => ({ term, weight }));
      const top = maxScoreTop(
        this.state,
        terms,
        filter.accept,
        k,
        this.bounds,
        options.blockMax !== false,
        options.span ?? null,
        options.floor ?? -Infinity,
        options.shared ?? null,
      );
      return top.map(([d, score]): ScoredId => [ids.at(d), score]);
    }
    const acc = (this.acc = makeAccumulator(this.state.docs.count, this.acc));
    try {
      for (const [t, w] of weights) addTermScores(this.state, t, w, acc);
      const top = selectTop(acc.touched, acc.touchedCount, acc.scores, spanned, k);
      return top.map(([d, score]): ScoredId => [ids.at(d), score]);
    } finally {
      resetAccumulator(acc);
    }
  }

  /**
   * True when `search(query, { ...options, k: n })` surely returns n documents, known without a search: the query
   * and filters only score words (no phrase, exclusion, author, category, link kind or date), and one of the
   * query's words is in at least n live documents, each of which the search then matches (every field weighs
   * more than 0, so each of them scores above 0). False says only that
   * it is not known this way. A caller that wants the first page of a deeper list and only counts the rest
   * ("100+") can then ask for the page alone: the top k of a search is the start of its top n ≥ k.
   * @example index.surelyMatches('graph neural networks', {}, 100) // true in a large index
   */
  surelyMatches(query: string | ParsedQuery, options: Pick<SearchOptions, 'filters'>, n: number): boolean {
    const q = mergeFilters(typeof query === 'string' ? parseQuery(query) : query, options.filters);
    if (restrictingParts(q).some((l) => l.length > 0) || q.since !== null || q.before !== null) return false;
    // A field weighted 0 scores its words 0, and a search leaves out papers that score 0.
    if (Object.values(this.state.options.fields).some((f) => !(f.weight > 0))) return false;
    const df = this.state.df;
    for (const t of this.queryWeights(q).keys()) if ((df[t] ?? 0) >= n) return true;
    return false;
  }

  /**
   * How `search(query, options)` can be cut into parts for two threads: about `parts` runs of documents (whole
   * blocks of the longest list, where most of the walk is), each searched with `{ k, span }` here or by another
   * thread that opened the same snapshot file, and the lists joined in order by `mergeSplitParts` (the same
   * answer as one search). Null when it is not worth it or not possible: the index changed since it was opened
   * from its file (or has none), the search is not a MaxScore one (phrases, author filters, long term lists of
   * more-like-this), or its lists hold fewer than `minPostings` postings.
   * @example const plan = index.splitPlan('graph neural networks', { k: 100 });
   */
  splitPlan(
    query: string | ParsedQuery,
    options: SearchOptions = {},
    minPostings = SPLIT_MIN_POSTINGS,
    parts = SPLIT_PARTS,
  ): SplitPlan | null {
    const file = this.splitFile;
    const k = options.k ?? 10;
    if (file === null || options.span !== undefined || !Number.isInteger(k) || k < 1 || k > MAX_K)
      return null;
    if (!Number.isInteger(parts) || parts < 2) return null;
    const { q, filter, weights } = this.prepareSearch(query, options);
    if (weights.size === 0 || !this.prunes(options, filter, weights)) return null;
    const { postings, docs, df } = this.state;
    let total = 0;
    let longest = -1;
    for (const t of weights.keys()) {
      const n = postings.sealedLength(t);
      total += n;
      if (longest < 0 || n > postings.sealedLength(longest)) longest = t;
    }
    if (total < minPostings) return null;
    // The file's documents are cut; those added since are one more part, this index's alone. A short list's
    // single block has no cut: the file's documents are then cut in two halves.
    const fileDocs = this.splitDocs;
    const inner = postings.sealedCuts(longest, parts).filter((d) => d < fileDocs);
    if (inner.length === 0 && fileDocs >= 2) inner.push(fileDocs >> 1);
    if (inner.length === 0) return null;
    const cuts = [0, ...inner, fileDocs];
    if (docs.count > fileDocs) cuts.push(docs.count);
    const terms = [...weights.keys()];
    return {
      query: q,
      k,
      file,
      cuts,
      shared: inner.length + 1,
      terms,
      weights: [...weights],
      stats: {
        liveCount: docs.liveCount,
        lengthSums: [...docs.lengthSums],
        df: terms.map((t) => df[t] ?? 0),
      },
    };
  }

  /**
   * The split file's documents removed here since it was read (document numbers, in the order removed), from the
   * `from`-th on: what another index opened from the file takes on with `adoptSplit` before it searches parts.
   */
  splitRemovals(from: number): number[] {
    return this.splitKills.slice(from);
  }

  /**
   * For an index opened from another's `splitFile` (a helper thread): takes on that index's removals since
   * (`removed`, from its `splitRemovals`) and the statistics of `plan`, so that the parts of the plan searched
   * here score every document of the file as the other index does. Only for searching parts: the index is not
   * a faithful copy of the other (documents added there are not here) and must not be saved.
   */
  adoptSplit(plan: Pick<SplitPlan, 'weights' | 'stats'>, removed: readonly number[]): void {
    const s = this.state;
    const docs = s.docs;
    for (const d of removed) if (d < docs.count) docs.kill(d);
    const { liveCount, lengthSums, df } = plan.stats;
    plan.weights.forEach(([t], i) => {
      if (t < s.df.length) s.df[t] = df[i] ?? 0;
    });
    let moved = docs.liveCount !== liveCount;
    for (let f = 0; f < docs.lengthSums.length; f++) moved ||= docs.lengthSums[f] !== lengthSums[f];
    if (moved || removed.length > 0) {
      docs.liveCount = liveCount;
      docs.lengthSums.set(lengthSums);
      // Bounds follow the averages (and `impacts` the scores); the stored ones are scaled to them (term-bounds.ts).
      this.bounds.clear();
      this.savedFile = null;
      this.openedFile = null;
    }
  }

  /**
   * The lists a split search reads (`plan.terms`) that this index keeps in its list cache, in shared memory, for the
   * other thread to search its parts with (`withLentLists`) instead of reading and keeping them again from the
   * file: one copy of each list, read and checked once. A list not kept is not read for it here (this thread
   * would wait for the read before the other could start): the other thread reads it itself.
   */
  splitLists(plan: Pick<SplitPlan, 'terms'>): Map<number, Uint8Array> {
    const lists = new Map<number, Uint8Array>();
    for (const t of plan.terms) {
      const bytes = this.state.postings.sharedListBytes(t);
      if (bytes !== null) lists.set(t, bytes);
    }
    return lists;
  }

  /** Runs `fn` (searches) reading the lists in `lists` (another index's `splitLists`, same file) instead of its own. */
  withLentLists<T>(lists: ReadonlyMap<number, Uint8Array>, fn: () => T): T {
    return this.state.postings.withLentLists(lists, fn);
  }

  /** Posting lists read from the snapshot file so far (kept or not); lent lists are not counted. */
  get listReads(): number {
    return this.state.postings.listReads;
  }

  /**
   * @internal The query with `options.filters` merged in, its compiled filter and its term weights (what `search`
   * and `splitPlan` start from; `searchPrepared` takes it).
   */
  prepareSearch(
    query: string | ParsedQuery,
    options: SearchOptions,
    weights?: readonly (readonly [term: number, weight: number])[],
  ): PreparedSearch {
    const q = mergeFilters(typeof query === 'string' ? parseQuery(query) : query, options.filters);
    const filter = compileFilter(this.state, q);
    if (weights === undefined)
      return { q, filter, weights: this.queryWeights(q, options.longTerms, options.longTermsBy) };
    // A split plan's terms (another index's ids, the same for the terms both hold): one this index does not know
    // was added there since, and none of the documents here holds it, so it adds nothing to their scores.
    const size = this.state.terms.size;
    return { q, filter, weights: new Map(weights.filter(([t]) => t < size)) };
  }

  /** Whether `search` answers by MaxScore (else every posting is scored, term at a time). */
  private prunes(
    options: SearchOptions,
    filter: SearchFilter,
    weights: ReadonlyMap<number, number>,
  ): boolean {
    return options.prune !== false && filter.verify === null && weights.size <= PRUNE_MAX_TERMS;
  }

  /**
   * The scores `search` gives `ids` for `query`, without a search over all documents: each query term's postings
   * are sought only at those papers (candidate-scores.ts), so the cost grows with the ids, not the index.
   * Best first (ties: lower document number first, as `search`); ids not indexed, refused by the query's
   * filters or scoring 0 are left out, as `search` leaves them out.
   * @example index.scoreAmong(moreLikeThisQuery(p.title, p.abstract), nearIds, { longTerms: 12 })
   */
  scoreAmong(
    query: string | ParsedQuery,
    ids: Iterable<string>,
    options: Pick<SearchOptions, 'filters' | 'longTerms'> = {},
  ): ScoredId[] {
    const q = mergeFilters(typeof query === 'string' ? parseQuery(query) : query, options.filters);
    const filter = compileFilter(this.state, q);
    const weights = this.queryWeights(q, options.longTerms);
    if (weights.size === 0) return [];
    const docs = this.state.docs;
    const found = new Set<number>();
    for (const id of ids) {
      const d = docs.find(id);
      if (d !== undefined && filter.accept(d) && (filter.verify === null || filter.verify(d))) found.add(d);
    }
    const sorted = Int32Array.from(found).sort();
    const terms = [...weights].map(([term, weight]): QueryTerm => ({ term, weight }));
    const scores = scoreDocs(this.state, terms, sorted);
    const order: number[] = [];
    for (let i = 0; i < sorted.length; i++) if ((scores[i] as number) > 0) order.push(i);
    // Ascending doc numbers already: a stable sort by score keeps ties in doc order.
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
    return order.map((i): ScoredId => [docs.ids.at(sorted[i] as number), scores[i] as number]);
  }

  /**
   * A test by paper id for everything the query and filters require besides word scores (categories,
   * authors, dates, phrases, exclusions): used to filter semantic candidates the same way lexical ones are.
   * Ids the index does not hold never match.
   * @example const ok = index.matcher('cat:cs.CL -survey'); ok('2503.11677')
   */
  matcher(query: string | ParsedQuery, filters?: SearchFilters): (id: string) => boolean {
    const q = mergeFilters(typeof query === 'string' ? parseQuery(query) : query, filters);
    const filter = compileFilter(this.state, q);
    const docs = this.state.docs;
    return (id: string): boolean => {
      const d = docs.find(id);
      return d !== undefined && filter.accept(d) && (filter.verify === null || filter.verify(d));
    };
  }

  /**
   * Known query terms, each weighted 1: counting repeats (a claim naming a term twice) scored worse on the
   * tune split, and a user repeating a word rarely means it twice as much.
   */
  private queryWeights(
    q: ParsedQuery,
    longTerms = LONG_QUERY_TERMS,
    by: SearchOptions['longTermsBy'] = 'informative',
  ): Map<number, number> {
    if (q.long) return this.informativeTerms(q, longTerms, by === 'rarest');
    const weights = new Map<number, number>();
    for (const text of [...q.words, ...q.phrases]) {
      for (const term of analyze(text)) {
        const t = this.state.terms.get(term);
        if (t === undefined || (this.state.df[t] ?? 0) === 0) continue;
        if (weights.size < MAX_QUERY_TERMS) weights.set(t, 1);
      }
    }
    return weights;
  }

  /** The `count` known terms of a long query with the highest `(1 + ln qtf) · idf` (`rarest`: idf), each weighted 1. */
  private informativeTerms(q: ParsedQuery, count: number, rarest = false): Map<number, number> {
    const counts = new Map<number, number>();
    for (const text of [...q.words, ...q.phrases])
      for (const term of analyze(text)) {
        const t = this.state.terms.get(term);
        if (t !== undefined && (this.state.df[t] ?? 0) > 0) counts.set(t, (counts.get(t) ?? 0) + 1);
      }
    const n = this.state.docs.liveCount;
    const value = (t: number, tf: number): number => {
      const df = this.state.df[t] ?? 0;
      return (rarest ? 1 : 1 + Math.log(tf)) * Math.log(1 + (n - df + 0.5) / (df + 0.5));
    };
    const ranked = [...counts].sort((a, b) => value(b[0], b[1]) - value(a[0], a[1]));
    return new Map(ranked.slice(0, count).map(([t]) => [t, 1]));
  }

  /** Filter-only queries: matching documents, newest first. */
  private browse(filter: SearchFilter, k: number): ScoredId[] {
    const { count, dates } = this.state.docs;
    const candidates = new Int32Array(count);
    const scores = new Float64Array(count);
    for (let d = 0; d < count; d++) {
      candidates[d] = d;
      scores[d] = dates[d] ?? 0;
    }
    return selectTop(candidates, count, scores, filter, k).map(
      ([d]): ScoredId => [this.state.docs.ids.at(d), 0],
    );
  }

  /**
   * The date (YYYYMMDD; 0 when unknown) of every document the query and filters match, with no top-k cut:
   * the papers `search` would list given a k large enough (trends count them per week). An empty query
   * (no filters) gives every document's date.
   * @example index.matchDates('"diffusion model" cat:cs.CV').length // how many papers match
   */
  matchDates(query: string | ParsedQuery, filters?: SearchFilters): Int32Array {
    if (query === '' && filters === undefined) return this.liveDates();
    const q = mergeFilters(typeof query === 'string' ? parseQuery(query) : query, filters);
    const weights = this.queryWeights(q);
    if (weights.size === 0 && q.words.length + q.phrases.length > 0) return new Int32Array(0);
    const phrases = requiredPhrases(this.state, q);
    const filter = compileFilter(this.state, q, { phrasesChecked: phrases.length > 0 });
    const { dates, count } = this.state.docs;
    if (this.scratch?.seen.length !== count) this.scratch = matchScratch(count);
    const scratch = this.scratch;
    let n = 0;
    if (phrases.length > 0) {
      // Only papers holding every phrase word can match: found by intersecting postings, not by a mask.
      const found = scratch.docs;
      forEachPhraseMatch(this.state, phrases, new Set(weights.keys()), filter.accept, (d) => {
        if (filter.verify === null || filter.verify(d)) found[n++] = dates[d] ?? 0;
      });
      return found.slice(0, n);
    }
    if (weights.size === 0) {
      const out = new Int32Array(count);
      for (let d = 0; d < count; d++)
        if (filter.accept(d) && (filter.verify === null || filter.verify(d))) out[n++] = dates[d] ?? 0;
      return out.subarray(0, n);
    }
    // The documents search would score above 0, found without scoring them: trends count them, in any order.
    const words = docsMatchingAnyWord(this.state, weights.keys(), scratch);
    const out = new Int32Array(words.count);
    for (let i = 0; i < words.count; i++) {
      const d = words.docs[i] ?? 0;
      if (filter.accept(d) && (filter.verify === null || filter.verify(d))) out[n++] = dates[d] ?? 0;
    }
    return out.subarray(0, n);
  }

  /** The date of every live document (an empty query would be refused by the parser). */
  private liveDates(): Int32Array {
    const { dates, alive, count } = this.state.docs;
    const out = new Int32Array(count);
    let n = 0;
    for (let d = 0; d < count; d++) if (alive[d] === 1) out[n++] = dates[d] ?? 0;
    return out.subarray(0, n);
  }

  /**
   * Drops removed documents and merges new postings; done automatically, and before `serialize`. With `spillBeside`
   * (a path), an index that reads its lists and sequences from a snapshot file gets their compacted copies in files
   * named after it (removed at once, read through their open handles), never whole in memory (#23: compacting the
   * 2.7M-paper index in memory peaked at 6.2 GB).
   */
  compact(spillBeside: string | null = null): void {
    const s = this.state;
    const remap = s.docs.remap();
    s.postings.seal(null, remap, s.terms.size, spillBeside === null ? null : `${spillBeside}.postings-tmp`);
    this.listsRewritten();
    // With nothing removed, sequences and documents held in memory are already as compaction would leave them:
    // not copying them keeps a large build from holding both copies at save.
    if (s.docs.liveCount < s.docs.count || !s.forward.inMemory) {
      s.forward.compact(remap, spillBeside === null ? null : `${spillBeside}.sequences-tmp`);
      s.docs.compact(remap);
    }
    this.bounds.clear();
    this.acc = null;
  }

  /** A snapshot for `loadLexicalIndex`; compacts first. */
  serialize(): Buffer {
    this.compact();
    return encodeState(this.state);
  }

  /** Writes `serialize()`'s bytes to `path` without holding them in memory at once; compacts first. */
  saveTo(path: string): void {
    if (this.savedFile !== null) {
      // Unchanged since `saveAndReopen` wrote it: those are the bytes, so the file is linked (or copied); never
      // rewritten in place, since the index reads its lists from it.
      if (this.savedFile !== path) {
        linkOrCopyFile(this.savedFile, path);
        // The same bytes, kept where the first may be removed (a rebuild's folder): later links and another
        // thread opening the index's file (`splitPlan`) use this one.
        if (this.openedFile === this.savedFile) this.openedFile = path;
        if (this.splitFile === this.savedFile) this.splitFile = path;
        this.savedFile = path;
      }
      return;
    }
    this.compact(path);
    writeStateFile(this.state, path);
  }

  /**
   * The file this index was last written to by `saveAndReopen` and is unchanged since, or null; `saveTo`
   * elsewhere then links it instead of writing it again.
   */
  private savedFile: string | null = null;
  /**
   * The snapshot file this index reads and is unchanged since it was opened from it (or written by
   * `saveAndReopen`), or null: another thread that opens it searches the same documents (`splitPlan`).
   */
  openedFile: string | null = null;
  /**
   * The snapshot file whose sealed lists this index searches (opened from it, or written to it by `saveAndReopen`),
   * kept through papers added and removed since (their postings in the tail, the removed marked dead) until a
   * seal or compaction rewrites the lists; null when there is none. Another thread that opens it can answer the
   * parts of a search over the file's documents once it takes on this index's removals and statistics
   * (`splitPlan`, `adoptSplit`).
   */
  splitFile: string | null = null;
  /** The documents `splitFile` holds: numbers 0 .. splitDocs − 1, here and in any index opened from it. */
  private splitDocs = 0;
  /** The terms `splitFile`'s vocabulary holds (ids 0 .. splitTerms − 1, here and there). */
  private splitTerms = 0;
  /** Documents of `splitFile` removed here since, in the order removed (`splitRemovals`). */
  private splitKills: number[] = [];

  /** @internal This index now reads its lists from `path` as written there (opened, or written and reopened). */
  readsFile(path: string): this {
    this.openedFile = path;
    this.splitFile = path;
    this.splitDocs = this.state.docs.count;
    this.splitTerms = this.state.terms.size;
    this.splitKills = [];
    return this;
  }

  /**
   * How this index differs from `splitFile`: the file's papers removed since, the terms and the live papers added
   * since (`LexicalChanges`); null without a split file. `applyLexicalChanges` on an index opened from the file
   * makes it this index (a file written from either is the same, byte for byte).
   */
  changesSinceFile(): LexicalChanges | null {
    const file = this.splitFile;
    if (file === null) return null;
    const { docs, forward, postings, terms } = this.state;
    const from = this.splitDocs;
    const added: AnalyzedDoc[] = [];
    const at = new Map<number, number>();
    const tags: number[][] = [];
    for (let d = from; d < docs.count; d++) {
      if (docs.alive[d] !== 1) continue;
      const seq = forward.read(d, []);
      const fields: number[][] = [[], [], []];
      let f = 0;
      for (const t of seq) {
        if (t === FIELD_BREAK) f++;
        else fields[f]?.push(t);
      }
      const docTags: number[] = [];
      at.set(d, tags.push(docTags) - 1);
      added.push({
        id: docs.ids.at(d),
        date: docs.dates[d] ?? 0,
        fields: [fields[0]!, fields[1]!, fields[2]!],
        tags: docTags,
      });
    }
    // Category and link-kind terms are posted with no frequency (and never held in the sequences): read back from
    // the postings added since the file, in term order (a list's order does not depend on it).
    postings.tail.forEach((list, t) => {
      if (list === undefined) return;
      for (let i = 0; i < list.length; i += 2)
        if (list[i + 1] === 0) tags[at.get(list[i] ?? -1) ?? -1]?.push(t);
    });
    const newTerms: string[] = [];
    for (let t = this.splitTerms; t < terms.size; t++) newTerms.push(terms.at(t));
    return { file, removed: [...this.splitKills], firstTerm: this.splitTerms, terms: newTerms, added };
  }

  /**
   * The file this index reads is now also at `to` (a hard link or a copy of `from`, the same bytes): later links,
   * another thread opening it (`splitFile`) and `openedFile` name `to`, so `from` may be removed.
   */
  fileLinked(from: string, to: string): void {
    if (this.openedFile === from) this.openedFile = to;
    if (this.splitFile === from) this.splitFile = to;
    if (this.savedFile === from) this.savedFile = to;
  }

  /** @internal The id of document `d` (live or not), for `applyLexicalChanges`. */
  idAt(d: number): string {
    return this.state.docs.ids.at(d);
  }

  /** A seal or compaction wrote the lists anew: stored bounds and the split file no longer describe them. */
  private listsRewritten(): void {
    this.state.storedBounds = null;
    this.splitFile = null;
    this.splitDocs = 0;
    this.splitKills = [];
  }

  private limits: LexicalMemoryLimits = {};

  /**
   * For an index being built from scratch (nothing added yet): postings go to sorted runs in `dir` (created,
   * and removed by `saveAndReopen` or `discardSpill`) once `budgetBytes` of them are buffered, and are merged
   * once at the next compaction, straight into a file. Searches see spilled postings only after that.
   * @example index.spillPostings('/tmp/build-1', 256 << 20); …add…; index.saveAndReopen('/tmp/build-1.lexical');
   */
  spillPostings(dir: string, budgetBytes: number): this {
    this.spill = new PostingRuns(dir, budgetBytes);
    this.state.postings.spillTo(this.spill);
    return this;
  }

  private spill: PostingRuns | null = null;

  /** Removes the spill folder of `spillPostings` (after a failed or stopped build). */
  discardSpill(): void {
    this.spill?.close();
    this.spill = null;
  }

  /**
   * Writes the snapshot to `path`, then reads this index from that file as `openLexicalIndex` would: postings and
   * term sequences leave the heap (searched from the page cache). A later `saveTo` while unchanged links it.
   */
  saveAndReopen(path: string): void {
    this.compact(path);
    writeStateFile(this.state, path);
    this.discardSpill();
    this.state = openState(fileSource(path), { verify: false });
    this.applyLimits(this.limits);
    this.bounds.clear();
    this.acc = null;
    this.scratch = null;
    this.savedFile = path;
    this.readsFile(path);
  }

  /**
   * Reads up to `maxBytes` more of a snapshot opened lazily (postings first); true while some remain.
   * @example while (index.readAhead(8 << 20)) await new Promise((r) => setImmediate(r));
   */
  readAhead(maxBytes: number): boolean {
    return this.state.postings.readAhead(maxBytes) || this.state.forward.readAhead(maxBytes);
  }

  /**
   * The large sections still read from the snapshot file (postings, then term sequences), so a server can
   * have their blocks checked on another thread (`PagedBytes.acceptChecks`) instead of by `readAhead`.
   */
  pagedSections(): PagedBytes[] {
    const out: PagedBytes[] = [];
    for (const s of [this.state.postings.pagedData, this.state.forward.pagedSection])
      if (s !== null) out.push(s);
    return out;
  }

  stats(): LexicalIndexStats {
    const s = this.state;
    return {
      documents: s.docs.liveCount,
      terms: s.terms.size,
      postings: s.postings.size,
      forwardBytes: s.forward.byteLength,
    };
  }
}

function mergeFilters(q: ParsedQuery, extra: SearchFilters | undefined): ParsedQuery {
  if (extra === undefined) return q;
  const bound = (v: string | null | undefined, field: string): string | null =>
    v === null || v === undefined ? null : parseDateBound(v, field);
  const since =
    [q.since, bound(extra.since, 'since')]
      .filter((v): v is string => v !== null)
      .sort()
      .at(-1) ?? null;
  const before =
    [q.before, bound(extra.before, 'before')]
      .filter((v): v is string => v !== null)
      .sort()
      .at(0) ?? null;
  return {
    ...q,
    authors: [...q.authors, ...(extra.authors ?? [])],
    categories: [...q.categories, ...(extra.categories ?? [])],
    since,
    before,
  };
}

/**
 * An empty index with BM25F options merged over the defaults (ranges checked).
 */
export function createLexicalIndex(options: Bm25fOverrides = {}): LexicalIndex {
  return new LexicalIndex(emptyState(resolveBm25fOptions(options)));
}

/**
 * Restores an index from `serialize()` output without re-analyzing any text. BM25F knobs are applied at
 * query time, so `options` may override the stored ones without a rebuild.
 */
export function loadLexicalIndex(buf: Uint8Array, options?: Bm25fOverrides): LexicalIndex {
  return withOptions(decodeState(buf), options);
}

/**
 * Opens a snapshot file written by `saveTo`: the small sections are read now, postings and term sequences
 * as searches first need them, every block checked (all of them up front unless `verify: false`).
 */
export function openLexicalIndex(
  path: string,
  opts: OpenOptions & { bm25f?: Bm25fOverrides } = {},
): LexicalIndex {
  return withOptions(openState(fileSource(path, opts.onDamage), opts), opts.bm25f).readsFile(path);
}

/**
 * Joins two parts of a split search (`SplitPlan`): `lower` answered documents below those `upper` answered,
 * each best first. The k best of both, best first; a tie goes to `lower`'s, whose documents come first, as in
 * one search.
 */
export function mergeSplitTops(
  lower: readonly ScoredId[],
  upper: readonly ScoredId[],
  k: number,
): ScoredId[] {
  const out: ScoredId[] = [];
  let i = 0;
  let j = 0;
  while (out.length < k && (i < lower.length || j < upper.length)) {
    const a = lower[i];
    const b = upper[j];
    if (b === undefined || (a !== undefined && a[1] >= b[1])) {
      out.push(a!);
      i++;
    } else {
      out.push(b);
      j++;
    }
  }
  return out;
}

/** One part of a cut search and its answer (`searchSplitParts`). */
export type SplitPart = readonly [part: number, top: ScoredId[]];

/**
 * Searches parts of `plan` (`index.search(plan.query, { k, span, floor })`) while `take()` hands out part numbers
 * below the plan's part count: the next part not yet taken by this thread or another (an atomic counter both
 * share). Each part starts from the k-th best score this thread has found so far as its floor, or `shared`'s (the
 * scores every thread searching the plan's parts offered, reset for it) where that is higher, and offers its own
 * there. The parts this thread answered, for `mergeSplitParts`.
 */
export function searchSplitParts(
  index: LexicalIndex,
  plan: Pick<SplitPlan, 'query' | 'k' | 'cuts' | 'weights'>,
  options: Pick<SearchOptions, 'blockMax' | 'longTerms' | 'longTermsBy'>,
  take: () => number,
  shared: SharedScores | null = null,
): SplitPart[] {
  const { query, k, cuts } = plan;
  const done: SplitPart[] = [];
  // Prepared once for all the parts this thread takes: a filter's masks are built once, not once a part.
  const prepared = index.prepareSearch(query, options, plan.weights);
  // This thread's best k so far, in no particular document order: only its k-th score is used.
  let best: ScoredId[] = [];
  for (let part = take(); part >= 0 && part + 1 < cuts.length; part = take()) {
    const own = best.length >= k ? best[k - 1]![1] : -Infinity;
    const theirs = shared === null ? -Infinity : shared.floor();
    const top = index.searchPrepared(prepared, {
      ...options,
      k,
      span: { from: cuts[part]!, to: cuts[part + 1]! },
      floor: theirs > own ? theirs : own,
      ...(shared === null ? {} : { shared }),
    });
    done.push([part, top]);
    best = mergeSplitTops(best, top, k);
  }
  return done;
}

/** The answer of a cut search from the answers of all its parts (any order; each part once). */
export function mergeSplitParts(parts: readonly SplitPart[], k: number): ScoredId[] {
  // Merged in document order, so a tie goes to the lower document as in one search.
  return [...parts]
    .sort((a, b) => a[0] - b[0])
    .reduce<ScoredId[]>((acc, [, top]) => mergeSplitTops(acc, top, k), []);
}

function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new AppError('BAD_INPUT', `k must be a whole number from 1 to ${MAX_K} (got ${k}).`);
}

/** `filter` limited to the documents of `span` (unchanged without one). */
function withinSpan(filter: SearchFilter, span: DocSpan | undefined): SearchFilter {
  if (span === undefined) return filter;
  const { from, to } = span;
  const accept = filter.accept;
  return { ...filter, accept: (d) => d >= from && d < to && accept(d) };
}

function withOptions(state: IndexState, options: Bm25fOverrides | undefined): LexicalIndex {
  if (options !== undefined) {
    const stored = state.options.fields;
    const fields = Object.fromEntries(FIELDS.map((f) => [f, { ...stored[f], ...options.fields?.[f] }]));
    state.options = resolveBm25fOptions({ k1: options.k1 ?? state.options.k1, fields });
  }
  return new LexicalIndex(state);
}
