// The search page and the search Atom feed, over the search service.
import type { Hono } from 'hono';
import { isDay } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { checkQueryLength } from '../../index/lexical/query.ts';
import { checkCategory } from '../../services/papers/index.ts';
import type { SearchRequest, SearchResult, SearchService } from '../../services/search/index.ts';
import { filtersOf, foldFilters } from '../query-filters.ts';
import { enumQuery, intQuery } from '../request-input.ts';
import { cardContext, cardStates, herePath, pageOptions, withComments } from '../route-helpers.ts';
import { atomFeed } from '../views/atom-feed.ts';
import { page } from '../views/layout.ts';
import type { Unkept } from '../response-cache.ts';
import { searchBody, type SearchSort } from '../views/search-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'baseUrl' | 'config' | 'discussion' | 'library' | 'search' | 'votes'>;

const PER_PAGE = 20;
const VOTE_SORT_DEPTH = 100;

interface SearchParams {
  q: string;
  sort: SearchSort;
  category: string;
  since: string;
  before: string;
  has?: string;
  pageNo: number;
  /** false after "search instead for …": the query as typed, not its spelling correction. */
  correct: boolean;
}

/**
 * The page's parameters. The filter form's Category/From/Before (sent with the query stripped of its own
 * `cat:`/`since:`/`before:`) are folded into the query text, and the fields then show what the query says,
 * so the two never disagree.
 */
function params(c: WebContext, categories: readonly string[]): SearchParams {
  const raw = c.req.query('q') ?? '';
  checkQueryLength(raw);
  const form = {
    category: c.req.query('category'),
    since: c.req.query('since'),
    before: c.req.query('before'),
  };
  if (form.category !== undefined && form.category !== '') checkCategory(form.category);
  for (const d of [form.since, form.before])
    if (d !== undefined && d !== '' && !isDay(d))
      throw new AppError('BAD_INPUT', 'Dates look like 2026-07-01.');
  const submitted = Object.values(form).some((v) => v !== undefined);
  const q = submitted
    ? foldFilters(raw, {
        category: form.category ?? '',
        since: form.since ?? '',
        before: form.before ?? '',
        has: c.req.query('has') === 'code' ? 'code' : '',
      })
    : raw.trim();
  return {
    q,
    sort: enumQuery(c, 'sort', ['relevance', 'newest', 'votes'] as const, 'relevance'),
    ...filtersOf(q, categories),
    pageNo: intQuery(c, 'page', 1, 1, 50),
    correct: c.req.query('correct') !== 'off',
  };
}

/** Runs the search for one page; "most upvoted" re-orders the best 100 matches by their votes. */
async function run(
  deps: Deps,
  search: SearchService,
  p: SearchParams,
): Promise<{ result: SearchResult; votes: Map<string, number> }> {
  // Category and dates are words of the query (see params), so the query alone carries them.
  const filters: SearchRequest = { correct: p.correct };
  if (p.sort !== 'votes') {
    const result = await search.search(p.q, {
      ...filters,
      sort: p.sort,
      k: PER_PAGE,
      offset: (p.pageNo - 1) * PER_PAGE,
    });
    return { result, votes: await deps.services.votes.counts(result.hits.map((h) => h.paper.id)) };
  }
  const all = await search.search(p.q, { ...filters, k: VOTE_SORT_DEPTH, offset: 0 });
  const votes = await deps.services.votes.counts(all.hits.map((h) => h.paper.id));
  const sorted = all.hits
    .map((h, i) => ({ h, i }))
    .sort((a, b) => (votes.get(b.h.paper.id) ?? 0) - (votes.get(a.h.paper.id) ?? 0) || a.i - b.i);
  const hits = sorted.slice((p.pageNo - 1) * PER_PAGE, p.pageNo * PER_PAGE).map((x) => x.h);
  return { result: { ...all, hits, total: Math.min(all.total, VOTE_SORT_DEPTH) }, votes };
}

/** The search page (`Unkept` when its answer did not wait for papers still being indexed). */
async function render(c: WebContext, deps: Deps, p: SearchParams): Promise<string | Unkept> {
  const found = p.q !== '' ? await run(deps, deps.services.search, p) : null;
  const states = await cardStates(deps, c.get('user'), found?.result.hits.map((h) => h.paper.id) ?? []);
  const view = {
    ...p,
    result:
      found?.result ??
      ({
        query: '',
        hits: [],
        total: 0,
        more: false,
        mode: 'lexical' as const,
        notice: null,
        warnings: [],
        correction: null,
        long: false,
      } satisfies SearchResult),
    votes: found?.votes ?? new Map(),
    states,
    card: await withComments(cardContext(c, deps), deps, found?.result.hits.map((h) => h.paper.id) ?? []),
    perPage: PER_PAGE,
    categories: deps.services.config.PAPERBOY_CATEGORIES,
  };
  const long = found?.result.long === true;
  const feeds =
    p.q !== '' && !long
      ? [{ title: `Paperboy search: ${p.q}`, href: `/feeds/search.atom?q=${encodeURIComponent(p.q)}` }]
      : [];
  const text = page(
    pageOptions(
      c,
      deps,
      long ? 'Papers like this text – search' : p.q !== '' ? `${p.q} – search` : 'Search',
      { q: p.q, feeds },
    ),
    searchBody(view),
  );
  return found?.result.indexing === true ? { text, keep: false } : text;
}

const pageText = (out: string | Unkept): string => (typeof out === 'string' ? out : out.text);

/**
 * Registers /search and /feeds/search.atom.
 */
export function registerSearchRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/search', async (c) => {
    const p = params(c, deps.services.config.PAPERBOY_CATEGORIES);
    if (c.get('user') !== null)
      return c.html(pageText(await render(c, deps, p)), 200, { 'Cache-Control': 'private, no-store' });
    const body = await deps.cache.get(c.req.raw, () => render(c, deps, p));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'text/html; charset=UTF-8',
      'Cache-Control': 'no-cache',
    });
  });
  app.get('/feeds/search.atom', async (c) => {
    const search = deps.services.search;
    const p = params(c, deps.services.config.PAPERBOY_CATEGORIES);
    if (p.q === '') throw new AppError('NOT_FOUND', 'Give a search, e.g. /feeds/search.atom?q=diffusion');
    const r = await search.search(p.q, { sort: 'newest', k: 50 });
    const base = deps.services.baseUrl;
    const papers = r.hits.map((h) => h.paper);
    const updated =
      papers.reduce((m, x) => (x.modifiedAt > m ? x.modifiedAt : m), '') || '1970-01-01T00:00:00Z';
    const xml = atomFeed(
      {
        title: `Paperboy search: ${p.q}`,
        self: `${base}${herePath(c)}`,
        alternate: `${base}/search?q=${encodeURIComponent(p.q)}`,
        base,
        updated,
      },
      papers,
    );
    return c.body(xml, 200, {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': 'no-cache',
    });
  });
}
