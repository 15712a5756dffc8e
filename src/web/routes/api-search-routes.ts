// JSON API for search: GET /api/search and GET /api/papers/:id/similar.
import { enrichedJson } from '../../services/enrich/index.ts';
import type { Hono } from 'hono';
import { isDay, type Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { checkQueryLength } from '../../index/lexical/query.ts';
import { checkCategory } from '../../services/papers/index.ts';
import type { SearchHit } from '../../services/search/index.ts';
import { enumQuery, intQuery } from '../request-input.ts';
import type { Unkept } from '../response-cache.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'search' | 'votes'>;

/** Anonymous search answers are reused for at most this long even when nothing was written. */
const SEARCH_MAX_AGE_MS = 60_000;

function optionalDay(c: WebContext, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!isDay(v))
    throw new AppError('BAD_INPUT', `${name} must be a day such as 2026-07-01 (got "${v.slice(0, 40)}").`);
  return v;
}

/** How many results: `limit` (as every API list takes) or its older name `k`, 1–100; both must agree. */
function resultCount(c: WebContext): number {
  const limit = c.req.query('limit') !== undefined ? intQuery(c, 'limit', 20, 1, 100) : undefined;
  const k = c.req.query('k') !== undefined ? intQuery(c, 'k', 20, 1, 100) : undefined;
  if (limit !== undefined && k !== undefined && limit !== k)
    throw new AppError('BAD_INPUT', `Give limit (or its older name k), not both: limit=${limit}, k=${k}.`);
  return limit ?? k ?? 20;
}

/** Each paper's JSON, kept while the paper object lives (the search service's paper cache holds it). */
const paperJson = new WeakMap<Paper, string>();

/**
 * `JSON.stringify(paper)`, written once per paper object: the papers that answer popular words recur across
 * distinct searches, and serializing 20 abstracts was a tenth of what a search request cost.
 */
function paperText(paper: Paper): string {
  let text = paperJson.get(paper);
  if (text === undefined) {
    text = JSON.stringify(enrichedJson(paper));
    paperJson.set(paper, text);
  }
  return text;
}

/** The hits as a JSON array of papers with their votes, score and matched terms (the same text as `JSON.stringify` of `{ ...paper, votes, score, matchedTerms }`). */
async function hitsText(deps: Deps, hits: readonly SearchHit[]): Promise<string> {
  const ids = hits.map((h) => h.paper.id);
  const [votes, comments] = await Promise.all([
    deps.services.votes.counts(ids),
    deps.services.discussion.comments.counts(ids),
  ]);
  const items = hits.map((h) =>
    joinObjects(
      paperText(h.paper),
      JSON.stringify({
        votes: votes.get(h.paper.id) ?? 0,
        comments: comments.get(h.paper.id) ?? 0,
        score: h.score,
        matchedTerms: h.matchedTerms,
        ...(h.similarTo !== undefined ? { similarTo: h.similarTo } : {}),
      }),
    ),
  );
  return `[${items.join(',')}]`;
}

/** Two JSON objects' texts as one object's (the fields of `a`, then those of `b`); both must be non-empty. */
function joinObjects(a: string, b: string): string {
  return `${a.slice(0, -1)},${b.slice(1)}`;
}

/** `head` (an object) with a `papers` field whose value is the JSON text `papers`, as JSON text. */
function withPapers(head: object, papers: string): string {
  return joinObjects(JSON.stringify(head), `{"papers":${papers}}`);
}

/**
 * The answer of GET /api/search as JSON text: the same for every caller, so anonymous answers are cached (not one made
 * while papers were still being indexed: `Unkept`).
 */
async function searchBody(c: WebContext, deps: Deps): Promise<string | Unkept> {
  const raw = c.req.query('q') ?? '';
  checkQueryLength(raw);
  const q = raw.trim();
  if (q === '') throw new AppError('BAD_INPUT', 'q is required, e.g. /api/search?q=contrastive+retrieval');
  const category = c.req.query('category') || undefined;
  if (category !== undefined) checkCategory(category);
  const k = resultCount(c);
  const offset = intQuery(c, 'offset', 0, 0, 1000);
  const r = await deps.services.search.search(q, {
    k,
    offset,
    category,
    since: optionalDay(c, 'since'),
    before: optionalDay(c, 'before'),
    sort: enumQuery(c, 'sort', ['relevance', 'newest'] as const, 'relevance'),
    mode: enumQuery(c, 'mode', ['hybrid', 'lexical', 'semantic'] as const, 'hybrid'),
    correct: enumQuery(c, 'correct', ['on', 'off'] as const, 'on') === 'on',
    relax: enumQuery(c, 'relax', ['on', 'off'] as const, 'on') === 'on',
  });
  const head = {
    query: r.query,
    mode: r.mode,
    notice: r.notice,
    warnings: r.warnings,
    correction: r.correction,
    long: r.long,
    ...(r.indexing === true ? { indexing: true } : {}),
    total: r.total,
    more: r.more,
    limit: k,
    k,
    offset,
  };
  const text = withPapers(head, await hitsText(deps, r.hits));
  return r.indexing === true ? { text, keep: false } : text;
}

const JSON_TYPE = { 'Content-Type': 'application/json' };

const bodyText = (out: string | Unkept): string => (typeof out === 'string' ? out : out.text);

/**
 * Registers the search API; call before the `/api/papers/:id` fallback so `/similar` wins.
 */
export function registerApiSearchRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/api/search', async (c) => {
    if (c.get('user') !== null) return c.body(bodyText(await searchBody(c, deps)), 200, JSON_TYPE);
    const cached = await deps.cache.get(c.req.raw, () => searchBody(c, deps), SEARCH_MAX_AGE_MS);
    return c.body(cached as Uint8Array<ArrayBuffer>, 200, JSON_TYPE);
  });
  // Suggestions as you type: small, the same for everyone, and asked on every keystroke.
  app.get('/api/suggest', async (c) => {
    const q = c.req.query('q') ?? '';
    const suggestions = q.trim() === '' || q.length > 200 ? [] : await deps.services.search.suggest(q);
    return c.json({ query: q, suggestions }, 200, { 'Cache-Control': 'public, max-age=60' });
  });
  app.get('/api/papers/:id/similar', async (c) => {
    const k = intQuery(c, 'k', 10, 1, 100);
    const id = c.req.param('id');
    // As a search: a large sync is waited for only a moment, and the answer then says it (`indexing`).
    const { hits, behind } = await deps.services.search.similarSoon(id, k);
    const head = behind ? { id, indexing: true } : { id };
    return c.body(withPapers(head, await hitsText(deps, hits)), 200, JSON_TYPE);
  });
}
