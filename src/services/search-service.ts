// Use cases for finding papers: hybrid search with pins and filters, and similar papers.
import type { Paper, ScoredId } from '../domain/index.ts';
import { AppError, describeError, isAppError } from '../errors.ts';
import type { Embedder } from '../index/embedders/embedder.ts';
import type { SearchFilters } from '../index/lexical/lexical-index.ts';
import { parseArxivRef } from '../index/lexical/arxiv-ref.ts';
import { parseQuery, plainQuery, type ParsedQuery } from '../index/lexical/query.ts';
import { normalizeTitle } from '../domain/index.ts';
import { fuseHybrid, fusionWeight, pinFirst } from '../rank/hybrid.ts';
import type { Store } from '../store/store.ts';
import { createPaperCache } from './paper-cache.ts';
import type { SearchIndexes } from './search-indexes.ts';

export type SearchMode = 'hybrid' | 'lexical' | 'semantic';

export interface SearchRequest {
  k?: number;
  offset?: number;
  sort?: 'relevance' | 'newest';
  category?: string;
  since?: string;
  before?: string;
  mode?: SearchMode;
}

export interface SearchHit {
  paper: Paper;
  score: number;
  /** Query words (lower-case) that occur in the paper, for highlighting. */
  matchedTerms: string[];
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
}

export interface SearchService {
  search(query: string, req?: SearchRequest): Promise<SearchResult>;
  /** Nearest neighbours fused with lexical more-like-this; never the paper itself. */
  similar(id: string, k?: number): Promise<SearchHit[]>;
}

export interface SearchDeps {
  store: Store;
  indexes: SearchIndexes;
  /** The active query embedder, or null when no model is active (search is then lexical). */
  embedder: () => Promise<Embedder | null>;
  /** Fixed fusion weight (SEARCH_SEMANTIC_WEIGHT); undefined: the embedder's own, else DEFAULT_FUSION's. */
  semanticWeight: number | undefined;
  similarWeight: number;
  /** Candidates taken from each retriever before fusing. */
  depth: number;
  /** Longest wait for a query embedding before falling back to lexical. */
  embedTimeoutMs: number;
}

const MAX_K = 100;
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
  const lists = [
    q.phrases,
    q.excludeWords,
    q.excludePhrases,
    q.authors,
    q.excludeAuthors,
    q.categories,
    q.excludeCategories,
  ];
  return (
    lists.some((l) => l.length > 0) ||
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

/**
 * @example const result = await search.search('contrastive retrieval cat:cs.CL since:2025-06', { k: 10 });
 */
export function createSearchService(deps: SearchDeps): SearchService {
  const { store, indexes } = deps;
  // Pages show papers that recur across queries; the cache forgets each paper the change log names.
  const paperCache = createPaperCache((ids) => store.papers.getMany(ids));
  indexes.onPapersChanged((ids) => paperCache.forget(ids));
  let opened: Promise<void> | null = null;
  let lastSync = 0;
  /** Opens the indexes once, follows the active model, and applies store changes (at most every 200 ms). */
  const sync = async (): Promise<Embedder | Error | null> => {
    opened ??= indexes.open();
    await opened;
    let embedder: Embedder | Error | null = null;
    try {
      embedder = await deps.embedder();
    } catch (err) {
      embedder = err instanceof Error ? err : new Error(String(err));
    }
    if (embedder instanceof Error) await indexes.useModel(null, 0);
    else await indexes.useModel(embedder?.model ?? null, embedder?.dimension ?? 0);
    if (Date.now() - lastSync >= 200) {
      lastSync = Date.now();
      await indexes.sync();
    }
    return embedder;
  };

  async function semantic(
    embedder: Embedder | Error | null,
    q: ParsedQuery,
    filters: SearchFilters,
    mode: SearchMode,
  ): Promise<{ list: ScoredId[]; notice: string | null; vector?: Float32Array }> {
    const text = queryText(q);
    if (mode === 'lexical' || text === '') return { list: [], notice: null };
    if (embedder instanceof Error)
      return {
        list: [],
        notice: `Semantic search is unavailable (${explain(embedder)}); showing word matches.`,
      };
    if (embedder === null)
      return {
        list: [],
        notice: 'Semantic search is off until a model is trained (`paperboy train`); showing word matches.',
      };
    if (indexes.vectors === null || indexes.vectors.size === 0)
      return {
        list: [],
        notice: `No papers are embedded with ${embedder.model} yet (\`paperboy embed\`, or let serve do it); showing word matches.`,
      };
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

  return {
    async search(query, req = {}) {
      const { k, offset } = checkPaging(req);
      const q = parseQuery(query);
      const embedder = await sync();
      const filters: SearchFilters = {
        categories: req.category !== undefined ? [req.category] : [],
        since: req.since ?? null,
        before: req.before ?? null,
      };
      const mode = req.mode ?? 'hybrid';
      const depth = Math.max(deps.depth, offset + k);
      const lexical = mode === 'semantic' ? [] : indexes.lexical.search(q, { k: depth, filters });
      const sem = await semantic(embedder, q, filters, mode);
      const used: SearchMode = sem.list.length === 0 ? 'lexical' : mode;
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
      const papers = await pagePapers(q, lexical, ranked, req, offset, k);
      ranked = pinFirst(ranked, pins(q, lexical, papers));
      if (req.sort === 'newest') ranked = newestFirst(ranked, papers);
      const pageIds = ranked.slice(offset, offset + k);
      const hits = pageIds.flatMap(([id, score]) => {
        const paper = papers.get(id);
        return paper ? [{ paper, score, matchedTerms: matchedTerms(q, paper) }] : [];
      });
      return {
        query,
        hits,
        total: ranked.length,
        more: lexical.length >= depth || sem.list.length >= depth,
        mode: used,
        notice: mode !== 'lexical' && used !== mode ? sem.notice : null,
        warnings: [...q.warnings],
      };
    },

    async similar(id, k = 10) {
      if (!Number.isInteger(k) || k < 1 || k > MAX_K)
        throw new AppError('BAD_INPUT', `k must be a whole number from 1 to ${MAX_K}, got ${k}`);
      await sync();
      const paper = await store.papers.get(parseArxivRef(id) ?? id);
      if (!paper) throw new AppError('NOT_FOUND', `No paper "${id.slice(0, 100)}" in this store.`);
      const notSelf = (other: string): boolean => other !== paper.id;
      const more = indexes.lexical
        .search(plainQuery(`${paper.title} ${paper.title} ${paper.abstract}`), { k: deps.depth + 1 })
        .filter(([o]) => notSelf(o));
      const vec = indexes.vectors?.get(paper.id);
      const near =
        vec !== undefined && indexes.vectors !== null
          ? // The paper itself is one id: dropping it afterwards beats a filtered (over-fetching) search.
            indexes.vectors
              .search(vec, deps.depth + 1, undefined, { rerank: false })
              .filter(([o]) => notSelf(o))
          : [];
      const ranked =
        near.length > 0
          ? fuseHybrid(more, near, { semanticWeight: deps.similarWeight, semanticScores: cosineTo(vec) })
          : more;
      const top = ranked.slice(0, k);
      const byId = await paperCache.getMany(top.map(([i]) => i));
      return top.flatMap(([i, score]) => {
        const p = byId.get(i);
        return p ? [{ paper: p, score, matchedTerms: [] }] : [];
      });
    },
  };
}
