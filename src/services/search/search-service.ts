// Use cases for finding papers: hybrid search with pins and filters, and similar papers.
import { normalizeTitle, type Paper, type ScoredId } from '../../domain/index.ts';
import { AppError, describeError, isAppError } from '../../errors.ts';
import type { Embedder } from '../../index/embedders/embedder.ts';
import type { SearchFilters } from '../../index/lexical/lexical-index.ts';
import { parseArxivRef } from '../../index/lexical/arxiv-ref.ts';
import { type ParsedQuery, parseQuery, restrictingParts } from '../../index/lexical/query.ts';
import { DEFAULT_FUSION, fuseHybrid, fusionWeight, pinFirst, rerankByTokenMatch } from '../../rank/hybrid.ts';
import type { Store } from '../../store/store.ts';
import type { Suggestion } from '../../index/lookup/suggest-index.ts';
import { describeTraining, type TrainingState } from './training-progress.ts';
import { createPaperCache } from './paper-cache.ts';
import type { SearchIndexes } from './search-indexes.ts';
import type { LookupFileInWorker, LookupFileWorkerHooks } from './lookup-file-in-worker.ts';
import { createSearchLookup, type LookupStats, type SearchLookupOptions } from './search-lookup.ts';
import { RELAX_BELOW, relaxQuery } from './search-relax.ts';
import { rankSimilar } from './similar-ranking.ts';
import { correctedQuery, correctionWords, type Correction } from './search-spelling.ts';

export type { Correction } from './search-spelling.ts';
export type { Suggestion } from '../../index/lookup/suggest-index.ts';

export type SearchMode = 'hybrid' | 'lexical' | 'semantic';

export interface SearchRequest {
  k?: number;
  offset?: number;
  sort?: 'relevance' | 'newest';
  category?: string;
  since?: string;
  before?: string;
  mode?: SearchMode;
  /** false: answer the query as typed, never its spelling correction ("search instead for …"). */
  correct?: boolean;
  /**
   * false: the query exactly as written: a phrase or exclusion that leaves (almost) nothing is not dropped.
   * Trends count this way, so a week's count is what the exact query lists for it.
   */
  relax?: boolean;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Query words (lower-case) that occur in the paper, for highlighting. */
  matchedTerms: string[];
  /** Set on the papers an arXiv-id search lists after the named paper: the id they are similar to. */
  similarTo?: string;
}

export interface SearchResult {
  query: string;
  hits: SearchHit[];
  /** Results available for paging (bounded by the candidate depth). */
  total: number;
  /** True when the candidate depth cut the matches short: there are more than `total` (say "100+"). */
  more: boolean;
  /** How the results were made; 'lexical' when semantic search was unavailable. */
  mode: SearchMode;
  /** Why the mode differs from the one asked for, or other advice; null when all is well. */
  notice: string | null;
  /** What the query parser repaired (e.g. an unclosed quote). */
  warnings: string[];
  /** A spelling correction, applied (the hits answer it) or only suggested; null when none. */
  correction: Correction | null;
  /** True when the query was a pasted text, answered as "papers like this text". */
  long: boolean;
  /**
   * True when papers stored before the search were still being indexed (a large import beside serve) and the answer
   * did not wait for them: it may miss some, and must not be cached. Absent otherwise.
   */
  indexing?: true;
}

/** `SearchService.similarSoon`'s answer. */
export interface SimilarAnswer {
  hits: SearchHit[];
  /** Answered from the indexes as they stand while a large sync ran: papers being indexed may be missing. */
  behind: boolean;
}

export interface SearchService {
  search(query: string, req?: SearchRequest): Promise<SearchResult>;
  /** Nearest neighbours fused with lexical more-like-this; never the paper itself. */
  similar(id: string, k?: number): Promise<SearchHit[]>;
  /**
   * `similar` for a page a reader waits on: a large sync (an import beside the node) is waited for only a moment,
   * as a search waits, and then the indexes answer as they stand (`behind`; such an answer must not be kept).
   */
  similarSoon(id: string, k?: number): Promise<SimilarAnswer>;
  /** Titles, authors, categories and topics matching a half-typed query; [] for an empty one. */
  suggest(query: string): Promise<Suggestion[]>;
  /** Opens (or builds) the spelling and suggestion tables in the background (serve calls it once at start). */
  warm(): void;
  /**
   * While the start-up checks hold readers' searches (`SearchIndexes.holdSearches`), answers a few searches of
   * the index's commonest words, hybrid and lexical, so the first readers' searches after a restart find the
   * search code compiled and the longest lists read. Stops when the hold ends or after WARM_SEARCH_MS; returns
   * how many searches it answered (serve calls it once the indexes are open).
   */
  warmSearches(): Promise<number>;
  /**
   * Writes the spelling and suggestion tables' lookup file from the store (`paperboy reindex`); null: no index
   * folder. `onBuilt` is told when the tables are built, before the file is written.
   */
  saveLookupFile(onBuilt?: (papers: number) => void): Promise<{ papers: number; seconds: number } | null>;
  /**
   * `saveLookupFile` on a worker thread beside other work (`paperboy reindex` overlaps it with the index build);
   * null without an index folder or a store another thread can open (then `saveLookupFile`).
   */
  saveLookupFileInWorker(hooks?: LookupFileWorkerHooks): LookupFileInWorker | null;
  /** How this process came by those tables (built, opened from the file; papers held beside it). */
  lookupStats(): LookupStats;
  /** Ends the thread holding those tables, if any. */
  close(): Promise<void>;
}

export interface SearchDeps {
  store: Store;
  indexes: SearchIndexes;
  /** The active query embedder, or null when no model is active (search is then lexical). */
  embedder: () => Promise<Embedder | null>;
  /** Fixed fusion weight (SEARCH_SEMANTIC_WEIGHT); undefined: the embedder's own, else DEFAULT_FUSION's. */
  semanticWeight: number | undefined;
  /** Share of the token-match rerank (SEARCH_TOKEN_MATCH); undefined: DEFAULT_FUSION's, 0: off. */
  tokenMatchWeight?: number;
  similarWeight: number;
  /** Candidates taken from each retriever before fusing. */
  depth: number;
  /** Longest wait for a query embedding before falling back to lexical. */
  embedTimeoutMs: number;
  /** How far serve's own model training has got (null when none runs), for the notice while semantic search is off. */
  training?: () => Promise<TrainingState | null>;
  /** Where the spelling and suggestion tables live (a worker thread, given the store's DATABASE_URL). */
  lookup?: SearchLookupOptions;
}

/**
 * With the store's change counter unmoved, the change log is read at most this often (the counter does not move on
 * every engine for every write a sync applies; this bounds how late those show).
 */
const SYNC_EVERY_MS = 200;
/**
 * How long a search waits for a sync of more than a page of changes (an import beside serve) before it answers from
 * the indexes as they stand (`SearchResult.indexing`); a smaller sync is always waited for.
 */
const BULK_SYNC_WAIT_MS = 250;
/** What an answer that did not wait for a large sync says. */
const INDEXING_NOTICE =
  'New papers are being indexed: some may be missing from these results for a few seconds.';

const MAX_K = 100;
/** Longest `warmSearches` runs (searches it has begun finish), and the commonest words it searches. */
const WARM_SEARCH_MS = 1500;
const WARM_TERMS = 12;

/** A search with fewer results than this is answered for its spelling correction when that finds more. */
const FEW_RESULTS = 3;
/** Suggestions are for what fits in a search box being typed; longer input gets none. */
const MAX_SUGGEST_CHARS = 200;
/** A query vector made mostly of words the model does not know may not answer without word matches. */
const MIN_KNOWN_SHARE = 0.5;
const MAX_OFFSET = 1000;
/** Lexical hits checked for a title equal to the query (an exact title search pins that paper first). */
const TITLE_PIN_DEPTH = 5;

function checkPaging(req: SearchRequest): { k: number; offset: number } {
  const k = req.k ?? 20;
  const offset = req.offset ?? 0;
  if (!Number.isInteger(k) || k < 1 || k > MAX_K)
    throw new AppError('BAD_INPUT', `k must be a whole number from 1 to ${MAX_K}, got ${k}`);
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_OFFSET)
    throw new AppError('BAD_INPUT', `offset must be a whole number from 0 to ${MAX_OFFSET}, got ${offset}`);
  return { k, offset };
}

/** An error's message with its details (e.g. which setting is missing). */
function explain(err: unknown): string {
  return isAppError(err) && err.details.length > 0
    ? `${err.message}: ${err.details.join('; ')}`
    : describeError(err);
}

/** True when the query or the filters restrict which papers may match (beyond scoring). */
function constrained(q: ParsedQuery, f: SearchFilters): boolean {
  return (
    restrictingParts(q).some((l) => l.length > 0) ||
    q.since !== null ||
    q.before !== null ||
    (f.categories?.length ?? 0) > 0 ||
    (f.authors?.length ?? 0) > 0 ||
    (f.since ?? null) !== null ||
    (f.before ?? null) !== null
  );
}

/** The free text of a query (words and phrases), what the embedder sees. */
function queryText(q: ParsedQuery): string {
  return [...q.words, ...q.phrases].join(' ').trim();
}

/** Each paper's lower-cased title, abstract and authors, kept while the paper object lives (see paperCache). */
const haystacks = new WeakMap<Paper, string>();

function matchedTerms(q: ParsedQuery, p: Paper): string[] {
  let hay = haystacks.get(p);
  if (hay === undefined) {
    hay = `${p.title} ${p.abstract} ${p.authors.join(' ')}`.toLowerCase();
    haystacks.set(p, hay);
  }
  const words = [...q.phrases, ...q.words.flatMap((w) => w.split(/\s+/))]
    .map((w) => w.toLowerCase())
    .filter((w) => w.length > 1);
  const found = new Set<string>();
  for (const w of words) if (hay.includes(w)) found.add(w);
  return [...found];
}

/**
 * Why the model may not answer this text, or null: none of its words is known to the model, or (when
 * semantic search would answer alone) fewer than MIN_KNOWN_SHARE of them; such a vector is noise.
 */
function unknownToModel(embedder: Embedder, text: string, alone: boolean): string | null {
  const words = embedder.knownWords?.(text);
  if (words === undefined || words.total === 0) return null;
  if (words.known === 0)
    return 'No word of this query is known to the semantic model, so it cannot judge meaning here; showing word matches only.';
  if (alone && words.known / words.total < MIN_KNOWN_SHARE)
    return 'Most words of this query are unknown to the semantic model, so it does not answer alone; showing word matches only.';
  return null;
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError('EMBEDDER', `${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createSearchService(deps: SearchDeps): SearchService {
  const { store, indexes } = deps;
  // Pages show papers that recur across queries; the cache forgets each paper the change log names.
  const paperCache = createPaperCache((ids) => store.papers.getMany(ids));
  indexes.onPapersChanged((ids) => paperCache.forget(ids));

  async function semantic(
    embedder: Embedder | Error | null,
    q: ParsedQuery,
    filters: SearchFilters,
    mode: SearchMode,
    lexicalCount: number,
  ): Promise<{ list: ScoredId[]; notice: string | null; vector?: Float32Array }> {
    const text = queryText(q);
    if (mode === 'lexical') return { list: [], notice: null };
    if (text === '')
      return {
        list: [],
        notice: 'A query with only filters lists the newest matching papers; semantic search needs words.',
      };
    if (embedder instanceof Error)
      return {
        list: [],
        notice: `Semantic search is unavailable (${explain(embedder)}); showing word matches.`,
      };
    if (embedder === null) {
      const training = (await deps.training?.().catch(() => null)) ?? null;
      return {
        list: [],
        notice:
          training === null
            ? 'Semantic search is off until a model is trained (run paperboy train); showing word matches.'
            : `Semantic search starts when its model is ready (${describeTraining(training)}); showing word matches.`,
      };
    }
    if (indexes.vectors === null || indexes.vectors.size === 0)
      return {
        list: [],
        notice: `No papers are embedded with ${embedder.model} yet (\`paperboy embed\`, or let serve do it); showing word matches.`,
      };
    const unknown = unknownToModel(embedder, text, mode === 'semantic' || lexicalCount === 0);
    if (unknown !== null) return { list: [], notice: unknown };
    try {
      const [vec] = await withTimeout(embedder.embed([text]), deps.embedTimeoutMs, 'embedding the query');
      if (vec === undefined) return { list: [], notice: null };
      // An unconstrained query searches the vector index without a per-candidate test (much faster in HNSW).
      const accept = constrained(q, filters) ? indexes.lexical.matcher(q, filters) : undefined;
      // Fusion re-scores every candidate by its exact cosine, so hybrid skips the index's own re-ranking.
      const list = indexes.vectors.search(vec, deps.depth, accept, { rerank: mode !== 'hybrid' });
      return { list, notice: null, vector: vec };
    } catch (err) {
      return {
        list: [],
        notice: `Semantic search is unavailable (${explain(err)}); showing word matches.`,
      };
    }
  }

  /** A query that is one token naming an external id ("1234", "cacm.jsonl:1234", a BibTeX key) pins that paper. */
  async function externalPin(query: string): Promise<string[]> {
    const t = query.trim();
    if (t === '' || t.length > 300 || /\s/.test(t) || parseArxivRef(t) !== null) return [];
    const p = await deps.store.papers.byExternalId(t);
    return p !== null && indexes.lexical.has(p.id) ? [p.id] : [];
  }

  /** Ids to put first: arXiv ids named in the query, then top lexical hits whose title is the query. */
  function pins(q: ParsedQuery, lexical: readonly ScoredId[], papers: Map<string, Paper>): string[] {
    const ids = q.arxivIds.filter((id) => indexes.lexical.has(id));
    const wanted = normalizeTitle(queryText(q));
    if (wanted.length > 0)
      for (const [id] of lexical.slice(0, TITLE_PIN_DEPTH))
        if (normalizeTitle(papers.get(id)?.title ?? '') === wanted) ids.push(id);
    return ids;
  }

  /**
   * The papers a page can show, in one store read: possible pins and the ranked stretch the page can come
   * from once pins move to the front (each pin shifts the rest by at most one place); all of them for
   * `newest` order, which needs every date.
   */
  async function pagePapers(
    q: ParsedQuery,
    lexical: ScoredId[],
    ranked: ScoredId[],
    req: SearchRequest,
    offset: number,
    k: number,
  ): Promise<Map<string, Paper>> {
    const maxPins = q.arxivIds.length + TITLE_PIN_DEPTH;
    const stretch = req.sort === 'newest' ? ranked : ranked.slice(Math.max(0, offset - maxPins), offset + k);
    const ids = new Set(
      [...q.arxivIds, ...lexical.slice(0, TITLE_PIN_DEPTH), ...stretch].map((x) =>
        typeof x === 'string' ? x : x[0],
      ),
    );
    return paperCache.getMany([...ids]);
  }

  /**
   * The second stage of hybrid search (SEARCH_TOKEN_MATCH; 0 turns it off): the fused top
   * DEFAULT_FUSION.tokenMatchDepth reranked by how well each query word is met in the paper (late
   * interaction, issue 19). Long pasted texts skip it (its cost grows
   * with the query's words), as does an embedder without token vectors; a failure keeps the fused order.
   */
  async function tokenMatchRerank(
    embedder: Embedder,
    q: ParsedQuery,
    ranked: ScoredId[],
  ): Promise<ScoredId[]> {
    const weight = deps.tokenMatchWeight ?? DEFAULT_FUSION.tokenMatchWeight;
    const match = embedder.tokenMatch?.bind(embedder);
    if (weight === 0 || match === undefined || q.long || ranked.length < 2) return ranked;
    const text = queryText(q);
    const head = ranked.slice(0, DEFAULT_FUSION.tokenMatchDepth).map(([id]) => id);
    const papers = await paperCache.getMany(head);
    try {
      const scores = match(
        text,
        head.map((id) => {
          const p = papers.get(id);
          return p === undefined ? '' : `${p.title}\n${p.abstract}`;
        }),
      );
      return rerankByTokenMatch(ranked, () => scores, { weight });
    } catch {
      return ranked;
    }
  }

  /** Cosines of `query` with papers' stored vectors (all unit length), for lexical candidates too. */
  function cosineTo(query: Float32Array | undefined): (ids: readonly string[]) => (number | null)[] {
    const vectors = indexes.vectors;
    if (query === undefined || vectors === null) return (ids) => ids.map(() => null);
    return (ids) => vectors.similarities(ids, query);
  }

  /** Every match, newest first (announcement date, else first-version date); ties keep relevance order. */
  function newestFirst(ranked: ScoredId[], papers: Map<string, Paper>): ScoredId[] {
    const date = (id: string): string => {
      const p = papers.get(id);
      return p?.announced ?? p?.published ?? '';
    };
    return ranked
      .map((r, i) => ({ r, i, date: date(r[0]) }))
      .sort((a, b) => b.date.localeCompare(a.date) || a.i - b.i)
      .map((x) => x.r);
  }

  /** The ranked papers most like `paper` (its vector fused with a more-like-this query), never itself. */
  function similarRanked(paper: Paper, n: number): ScoredId[] {
    const vec = indexes.vectors?.get(paper.id);
    // The paper itself is one id: dropping it afterwards beats a filtered (over-fetching) search.
    const near =
      vec !== undefined && indexes.vectors !== null
        ? indexes.vectors.search(vec, n + 1, undefined, { rerank: false })
        : [];
    return rankSimilar(paper, indexes.lexical, near, {
      n,
      weight: deps.similarWeight,
      cosines: cosineTo(vec),
    });
  }

  /** A query of arXiv ids only: those papers, then the first one's similar papers, labelled as such. */
  async function idSearch(query: string, q: ParsedQuery, k: number, offset: number): Promise<SearchResult> {
    const ids = q.arxivIds.filter((id) => indexes.lexical.has(id));
    const first = ids[0] === undefined ? undefined : await store.papers.get(ids[0]);
    const pinned = new Set(ids);
    const near = first ? similarRanked(first, deps.depth).filter(([id]) => !pinned.has(id)) : [];
    const ranked: { id: string; score: number; similarTo?: string }[] = [
      ...ids.map((id) => ({ id, score: near[0]?.[1] ?? 1 })),
      ...near.map(([id, score]) => ({ id, score, similarTo: first?.id })),
    ];
    const page = ranked.slice(offset, offset + k);
    const papers = await paperCache.getMany(page.map((r) => r.id));
    const hits = page.flatMap((r): SearchHit[] => {
      const paper = papers.get(r.id);
      if (!paper) return [];
      return [
        { paper, score: r.score, matchedTerms: [], ...(r.similarTo ? { similarTo: r.similarTo } : {}) },
      ];
    });
    return {
      query,
      hits,
      total: ranked.length,
      more: false,
      mode: 'lexical',
      notice:
        ids.length === 0
          ? `No paper with ${q.arxivIds.length === 1 ? 'this arXiv id' : 'these arXiv ids'} is in this library.`
          : null,
      warnings: [...q.warnings],
      correction: null,
      long: false,
    };
  }

  /** The search itself, for the query as typed or (spelling) as corrected. */
  async function answer(
    query: string,
    parsed: ParsedQuery,
    req: SearchRequest,
    embedder: Embedder | Error | null,
  ): Promise<SearchResult> {
    const { k, offset } = checkPaging(req);
    const filters: SearchFilters = {
      categories: req.category !== undefined ? [req.category] : [],
      since: req.since ?? null,
      before: req.before ?? null,
    };
    const mode = req.mode ?? 'hybrid';
    const depth = Math.max(deps.depth, offset + k);
    const relaxed =
      req.relax === false
        ? { query: parsed, notes: [] }
        : relaxQuery(parsed, (x) => indexes.lexical.search(x, { k: RELAX_BELOW, filters }).length);
    const q = relaxed.query;
    // Word matches alone, in relevance order, with the depth surely filled: the index is asked for the page only.
    // Past the page the depth is only counted ("100+"), and a search's top k is the start of its top `depth`.
    const pageOnly =
      mode !== 'hybrid' &&
      req.sort !== 'newest' &&
      q.arxivIds.length === 0 &&
      indexes.lexical.surelyMatches(q, { filters }, depth);
    const lexicalK = pageOnly ? offset + k : depth;
    let lexical = mode === 'semantic' ? [] : await indexes.searchLexical(q, { k: lexicalK, filters });
    const sem = await semantic(embedder, q, filters, mode, lexical.length);
    const used: SearchMode = sem.list.length === 0 ? 'lexical' : mode;
    // A semantic search that cannot answer falls back to word matches, as hybrid does.
    if (used === 'lexical' && mode === 'semantic')
      lexical = await indexes.searchLexical(q, { k: lexicalK, filters });
    const counted = pageOnly && used === 'lexical';
    let ranked =
      used === 'lexical'
        ? lexical
        : used === 'semantic'
          ? sem.list
          : fuseHybrid(lexical, sem.list, {
              semanticWeight: fusionWeight(
                deps.semanticWeight,
                embedder instanceof Error ? undefined : embedder?.fusionWeight,
              ),
              semanticScores: cosineTo(sem.vector),
            });
    if (used === 'hybrid' && embedder !== null && !(embedder instanceof Error))
      ranked = await tokenMatchRerank(embedder, q, ranked);
    const papers = await pagePapers(q, lexical, ranked, req, offset, k);
    ranked = pinFirst(ranked, pins(q, lexical, papers));
    if (req.sort === 'newest') ranked = newestFirst(ranked, papers);
    const pageIds = ranked.slice(offset, offset + k);
    const hits = pageIds.flatMap(([id, score]) => {
      const paper = papers.get(id);
      return paper ? [{ paper, score, matchedTerms: matchedTerms(q, paper) }] : [];
    });
    const fallback =
      mode !== 'lexical' && used !== mode
        ? (sem.notice ?? 'Semantic search found no paper for this query; showing word matches.')
        : null;
    const notes = [...relaxed.notes, ...(fallback !== null ? [fallback] : [])];
    return {
      query,
      hits,
      total: counted ? depth : ranked.length,
      more: counted || lexical.length >= depth || sem.list.length >= depth,
      mode: used,
      notice: notes.length > 0 ? notes.join(' ') : null,
      warnings: [...q.warnings],
      correction: null,
      long: q.long,
    };
  }

  const lookup = createSearchLookup(store, indexes, deps.lookup);

  /**
   * Spelling: with fewer than FEW_RESULTS results and every corrected word found in no paper, the corrected
   * query answers when it finds more (the tables are built on first need); otherwise a correction is only
   * offered, when the tables are ready.
   */
  async function withSpelling(
    query: string,
    parsed: ParsedQuery,
    result: SearchResult,
    req: SearchRequest,
    embedder: Embedder | Error | null,
  ): Promise<SearchResult> {
    if (parsed.long || req.correct === false) return result;
    const few = result.total < FEW_RESULTS;
    const spelling = await lookup.spelling(correctionWords(parsed), few);
    if (spelling === null) return result;
    const fixed = correctedQuery(query, parsed, spelling);
    if (fixed === null) return result;
    const offer = { ...result, correction: { query: fixed.query, original: query, applied: false } };
    if (!few || !fixed.unknownOnly) return offer;
    const again = await answer(fixed.query, parseQuery(fixed.query), req, embedder);
    if (again.total <= result.total) return offer;
    return { ...again, query, correction: { query: fixed.query, original: query, applied: true } };
  }

  /** `similar`, waiting at most `waitMs` for a large sync (any other sync in full, see `SearchIndexes.readable`). */
  function similarAnswer(id: string, k: number, waitMs: number): Promise<SimilarAnswer> {
    if (!Number.isInteger(k) || k < 1 || k > MAX_K)
      return Promise.reject(
        new AppError('BAD_INPUT', `k must be a whole number from 1 to ${MAX_K}, got ${k}`),
      );
    return indexes.searching(async () => {
      const { behind } = await indexes.readable(deps.embedder, SYNC_EVERY_MS, waitMs);
      const paper = await store.papers.get(parseArxivRef(id) ?? id);
      if (!paper) throw new AppError('NOT_FOUND', `No paper "${id.slice(0, 100)}" in this store.`);
      const top = similarRanked(paper, deps.depth).slice(0, k);
      const byId = await paperCache.getMany(top.map(([i]) => i));
      const hits = top.flatMap(([i, score]): SearchHit[] => {
        const p = byId.get(i);
        return p ? [{ paper: p, score, matchedTerms: [] }] : [];
      });
      return { hits, behind };
    });
  }

  async function searchOnce(query: string, req: SearchRequest): Promise<SearchResult> {
    const { k, offset } = checkPaging(req);
    const parsed = parseQuery(query);
    // A record's own source id (a JSONL id, a BibTeX key) pins its paper like an arXiv id.
    const q: ParsedQuery = { ...parsed, arxivIds: [...parsed.arxivIds, ...(await externalPin(query))] };
    const { used: embedder, behind } = await indexes.readable(
      deps.embedder,
      SYNC_EVERY_MS,
      BULK_SYNC_WAIT_MS,
    );
    const result =
      parsed.arxivIds.length > 0 && parsed.words.length === 0 && parsed.phrases.length === 0
        ? await idSearch(query, parsed, k, offset)
        : await withSpelling(query, q, await answer(query, q, req, embedder), req, embedder);
    if (!behind) return result;
    // Beside any other notice (semantic search off, a fallback): it explains results the other does not.
    const notice = result.notice === null ? INDEXING_NOTICE : `${result.notice} ${INDEXING_NOTICE}`;
    return { ...result, indexing: true, notice };
  }

  return {
    search: (query, req = {}) =>
      indexes.searching(async () => {
        try {
          const result = await searchOnce(query, req);
          if (!indexes.damageFound) return result;
        } catch (err) {
          if (!indexes.damageFound) throw err;
        }
        // A snapshot block failed its check while answering (and was not used): the next sync rebuilds that
        // index from the store, and the query is answered again from it.
        return searchOnce(query, req);
      }),

    similar: async (id, k = 10) => (await similarAnswer(id, k, Number.POSITIVE_INFINITY)).hits,

    similarSoon: (id, k = 10) => similarAnswer(id, k, BULK_SYNC_WAIT_MS),

    async suggest(query) {
      const q = query.trim();
      if (q === '' || q.length > MAX_SUGGEST_CHARS) return [];
      // Not kept by the server (the browser keeps it a minute): during a large sync, the titles known so far.
      await indexes.readable(deps.embedder, SYNC_EVERY_MS, BULK_SYNC_WAIT_MS);
      return lookup.suggest(q);
    },

    warm() {
      lookup.warm();
    },

    async warmSearches() {
      // Pairs of the commonest words (the long lists readers' queries end up walking), then four of them.
      const common = indexes.lexical.commonTerms(WARM_TERMS);
      const queries: string[] = [];
      for (let i = 0; i + 1 < common.length; i += 2) queries.push(`${common[i]} ${common[i + 1]}`);
      if (common.length >= 8) queries.push([0, 3, 5, 7].map((i) => common[i]).join(' '));
      const until = performance.now() + WARM_SEARCH_MS;
      let answered = 0;
      for (const query of queries)
        for (const mode of ['hybrid', 'lexical'] as const) {
          if (!indexes.searchesHeld || performance.now() >= until) return answered;
          // Not through `indexes.searching`, which would wait for the hold this runs under; answers unused.
          await searchOnce(query, { mode, correct: false });
          answered++;
        }
      return answered;
    },

    saveLookupFile: (onBuilt) => lookup.saveFile(onBuilt),

    saveLookupFileInWorker: (hooks) => lookup.saveFileInWorker(hooks),

    lookupStats: () => lookup.stats(),

    async close() {
      await indexes.stopRewrites();
      await indexes.closeLexicalHelper();
      await lookup.close();
    },
  };
}
