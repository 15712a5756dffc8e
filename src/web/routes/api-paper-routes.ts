// JSON API for papers: lists by day/week/month with sort, one paper, and votes.
import { enrichedJson } from '../../services/enrich/index.ts';
import type { Hono } from 'hono';
import type { Period } from '../../domain/index.ts';
import type { ListingSort } from '../../services/papers/index.ts';
import { requireUser } from '../auth.ts';
import { enumQuery, intQuery } from '../request-input.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  'accounts' | 'apiTokens' | 'discussion' | 'library' | 'listings' | 'papers' | 'profiles' | 'votes'
>;

export const API_MAX_LIMIT = 100;
export const API_MAX_OFFSET = 10_000;

/** limit and offset from the query, within the API's bounds (else BAD_INPUT). */
export function paging(c: WebContext): { limit: number; offset: number } {
  return {
    limit: intQuery(c, 'limit', 20, 1, API_MAX_LIMIT),
    offset: intQuery(c, 'offset', 0, 0, API_MAX_OFFSET),
  };
}

async function list(c: WebContext, deps: Deps, trending = false): Promise<Response> {
  if (c.get('user') !== null) return c.json(await listBody(c, deps, trending));
  const body = await deps.cache.get(c.req.raw, async () => JSON.stringify(await listBody(c, deps, trending)));
  return c.body(body as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/json' });
}

/**
 * The answer of GET /api/papers (and of /api/trending, which always ranks by trending): the same for every
 * caller; anonymous callers get it from the cache.
 */
async function listBody(c: WebContext, deps: Deps, trending: boolean): Promise<object> {
  const { limit, offset } = paging(c);
  const q = c.req.query();
  const bare =
    q.period === undefined &&
    q.date === undefined &&
    q.sort === undefined &&
    q.category === undefined &&
    q.has === undefined;
  if (bare && !trending) {
    const papers = await deps.services.papers.newest({ limit, offset });
    const ids = papers.map((p) => p.id);
    const [counts, comments] = await Promise.all([
      deps.services.votes.counts(ids),
      deps.services.discussion.comments.counts(ids),
    ]);
    return {
      papers: papers.map((p) => ({
        ...enrichedJson(p),
        votes: counts.get(p.id) ?? 0,
        comments: comments.get(p.id) ?? 0,
      })),
      limit,
      offset,
    };
  }
  const period = enumQuery<Period>(c, 'period', ['day', 'week', 'month'], 'day');
  const sort = trending
    ? enumQuery<ListingSort>(c, 'sort', ['trending'], 'trending')
    : enumQuery<ListingSort>(c, 'sort', ['trending', 'newest', 'votes', 'discussed', 'stars'], 'trending');
  const l = await deps.services.listings.window({
    period,
    key: q.date || undefined,
    sort,
    category: q.category || undefined,
    has: q.has || undefined,
    limit,
    offset,
  });
  const comments = await deps.services.discussion.comments.counts(l.items.map((i) => i.paper.id));
  return {
    papers: l.items.map((i) => ({
      ...enrichedJson(i.paper),
      votes: i.votes,
      comments: comments.get(i.paper.id) ?? 0,
    })),
    total: l.total,
    limit,
    offset,
    window: l.window,
    sort: l.sort,
    category: l.category,
    has: l.has,
    prev: l.prev?.key ?? null,
    next: l.next?.key ?? null,
  };
}

async function one(c: WebContext, deps: Deps): Promise<Response> {
  const paper = await deps.services.papers.get(c.req.param('id') ?? '');
  const user = c.get('user');
  const [counts, voted, entry, submittedBy, comments] = await Promise.all([
    deps.services.votes.counts([paper.id]),
    deps.services.votes.votedBy(user?.id ?? null, [paper.id]),
    user ? deps.services.library.entry(user.id, paper.id) : Promise.resolve(null),
    deps.services.profiles.submittedBy(paper.id),
    deps.services.discussion.comments.counts([paper.id]),
  ]);
  const mine = user ? { voted: voted.has(paper.id), saved: entry !== null, tags: entry?.tags ?? [] } : {};
  return c.json({
    ...enrichedJson(paper),
    votes: counts.get(paper.id) ?? 0,
    comments: comments.get(paper.id) ?? 0,
    submittedBy,
    ...mine,
  });
}

/**
 * Registers GET /api/papers, the vote endpoints and GET /api/papers/:id. The catch-all
 * `/api/papers/:id` goes last so that more specific paper routes registered before it win.
 * @example registerApiPaperRoutes(app, deps); registerApiPaperFallback(app, deps);
 */
export function registerApiPaperRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const v = deps.services.votes;
  app.get('/api/papers', (c) => list(c, deps));
  app.get('/api/trending', (c) => list(c, deps, true));
  app.put('/api/papers/:id{.+}/vote', async (c) =>
    c.json(await v.set(requireUser(c).id, c.req.param('id'), true)),
  );
  app.delete('/api/papers/:id{.+}/vote', async (c) =>
    c.json(await v.set(requireUser(c).id, c.req.param('id'), false)),
  );
  app.post('/api/papers/:id{.+}/vote', async (c) =>
    c.json(await v.toggle(requireUser(c).id, c.req.param('id'))),
  );
}

/** The catch-all paper route; register after every other /api/papers/… route. */
export function registerApiPaperFallback(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/api/papers/:id{.+}', (c) => one(c, deps));
}
