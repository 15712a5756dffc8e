// JSON API for search: GET /api/search and GET /api/papers/:id/similar.
import type { Hono } from 'hono';
import { isDay } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { checkCategory } from '../../services/listings-service.ts';
import type { SearchHit } from '../../services/search-service.ts';
import { enumQuery, intQuery } from '../request-input.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

const MAX_QUERY = 500;
/** Anonymous search answers are reused for at most this long even when nothing was written. */
const SEARCH_MAX_AGE_MS = 60_000;

function optionalDay(c: WebContext, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!isDay(v))
    throw new AppError('BAD_INPUT', `${name} must be a day such as 2026-07-01 (got "${v.slice(0, 40)}").`);
  return v;
}

async function hitsJson(deps: WebDeps, hits: readonly SearchHit[]): Promise<object[]> {
  const votes = await deps.services.votes.counts(hits.map((h) => h.paper.id));
  return hits.map((h) => ({
    ...h.paper,
    votes: votes.get(h.paper.id) ?? 0,
    score: h.score,
    matchedTerms: h.matchedTerms,
  }));
}

/** The answer of GET /api/search: the same for every caller, so anonymous answers are cached. */
async function searchBody(c: WebContext, deps: WebDeps): Promise<object> {
  const q = (c.req.query('q') ?? '').trim();
  if (q === '') throw new AppError('BAD_INPUT', 'q is required, e.g. /api/search?q=contrastive+retrieval');
  if (q.length > MAX_QUERY) throw new AppError('BAD_INPUT', `q is at most ${MAX_QUERY} characters.`);
  const category = c.req.query('category') || undefined;
  if (category !== undefined) checkCategory(category);
  const k = intQuery(c, 'k', 20, 1, 100);
  const offset = intQuery(c, 'offset', 0, 0, 1000);
  const r = await deps.services.search.search(q, {
    k,
    offset,
    category,
    since: optionalDay(c, 'since'),
    before: optionalDay(c, 'before'),
    sort: enumQuery(c, 'sort', ['relevance', 'newest'] as const, 'relevance'),
    mode: enumQuery(c, 'mode', ['hybrid', 'lexical', 'semantic'] as const, 'hybrid'),
  });
  return {
    query: r.query,
    mode: r.mode,
    notice: r.notice,
    warnings: r.warnings,
    total: r.total,
    k,
    offset,
    papers: await hitsJson(deps, r.hits),
  };
}

/**
 * Registers the search API; call before the `/api/papers/:id` fallback so `/similar` wins.
 * @example registerApiSearchRoutes(app, deps)
 */
export function registerApiSearchRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  app.get('/api/search', async (c) => {
    const body = (): Promise<object> => searchBody(c, deps);
    if (c.get('user') !== null) return c.json(await body());
    const u = new URL(c.req.url);
    const cached = await deps.cache.get(
      `api ${u.pathname}${u.search}`,
      async () => JSON.stringify(await body()),
      SEARCH_MAX_AGE_MS,
    );
    return c.body(cached as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' });
  });
  app.get('/api/papers/:id/similar', async (c) => {
    const k = intQuery(c, 'k', 10, 1, 100);
    const hits = await deps.services.search.similar(c.req.param('id'), k);
    return c.json({ id: c.req.param('id'), papers: await hitsJson(deps, hits) });
  });
}
