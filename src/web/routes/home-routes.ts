// Daily papers: the home page and day, week and month views, ranked by trending with other sorts on request.
import type { Hono } from 'hono';
import type { Period } from '../../domain/index.ts';
import type { ListingSort } from '../../services/papers/index.ts';
import { enumQuery, intQuery } from '../request-input.ts';
import { cardContext, cardStates, pageOptions, withComments } from '../route-helpers.ts';
import { listingPage, PER_PAGE, windowLabel } from '../views/listing-page.ts';
import { risingBlock } from '../views/topic-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  'config' | 'discussion' | 'harvestStatus' | 'library' | 'listings' | 'papers' | 'topics' | 'votes'
>;

const SORTS: readonly ListingSort[] = ['trending', 'newest', 'votes', 'discussed', 'stars'];

async function render(c: WebContext, deps: Deps, period: Period, key: string | undefined): Promise<Response> {
  if (c.get('user') !== null)
    return c.html(await build(c, deps, period, key), 200, { 'Cache-Control': 'private, no-store' });
  const body = await deps.cache.get(c.req.raw, () => build(c, deps, period, key));
  return c.body(body as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': 'text/html; charset=UTF-8',
    'Cache-Control': 'no-cache',
  });
}

async function build(c: WebContext, deps: Deps, period: Period, key: string | undefined): Promise<string> {
  const sort = enumQuery(c, 'sort', SORTS, 'trending');
  const pageNo = intQuery(c, 'page', 1, 1, 1000);
  const category = c.req.query('category') || undefined;
  const listing = await deps.services.listings.window({
    period,
    key,
    sort,
    category,
    has: c.req.query('has') || undefined,
    limit: PER_PAGE,
    offset: (pageNo - 1) * PER_PAGE,
  });
  const states = await cardStates(
    deps,
    c.get('user'),
    listing.items.map((i) => i.paper.id),
  );
  // Only an empty window with no neighbours can mean an empty store; only then count papers.
  const storeEmpty =
    listing.total === 0 &&
    listing.prev === null &&
    listing.next === null &&
    (await deps.services.papers.count()) === 0;
  const feed = `/feeds/daily.atom${category !== undefined ? `?category=${encodeURIComponent(category)}` : ''}`;
  const opts = pageOptions(
    c,
    deps,
    key === undefined && period === 'day' ? 'Daily papers' : windowLabel(listing.window),
    {
      feeds: [{ title: 'Paperboy daily papers', href: feed }],
      description: 'Research papers of the day, ranked by the community’s upvotes.',
      ...(await harvestNote(c, deps)),
    },
  );
  const view = {
    listing,
    states,
    card: await withComments(
      cardContext(c, deps),
      deps,
      listing.items.map((i) => i.paper.id),
    ),
    pageNo,
    categories: deps.services.config.PAPERBOY_CATEGORIES,
    storeEmpty,
    // Rising topics (pictures issue): on the home page only.
    rising:
      key === undefined && period === 'day' && pageNo === 1
        ? risingBlock(await deps.services.topics.rising(5))
        : undefined,
  };
  return listingPage(view, opts);
}

/**
 * Registers `/`, `/day/:key`, `/week/:key`, `/month/:key` (and `/week`, `/month` for the latest).
 */
export function registerHomeRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/', (c) => render(c, deps, 'day', undefined));
  for (const period of ['day', 'week', 'month'] as const) {
    app.get(`/${period}`, (c) => render(c, deps, period, undefined));
    app.get(`/${period}/:key`, (c) => render(c, deps, period, c.req.param('key')));
  }
}

/** For administrators: a line on the front page when the last automatic arXiv harvest failed, and when the next is. */
async function harvestNote(c: WebContext, deps: Deps): Promise<{ notice?: string }> {
  const user = c.get('user');
  if (!user || !deps.services.config.ADMIN_EMAILS.includes(user.email.toLowerCase())) return {};
  const h = await deps.services.harvestStatus();
  if (h.state !== 'failed') return {};
  const at = (iso: string | null): string => (iso ?? '').slice(0, 16).replace('T', ' ');
  return {
    notice: `Admin: the arXiv harvest of ${at(h.at)} UTC failed: ${h.error ?? 'unknown error'} Next attempt: ${h.next === null ? 'none (harvesting is off)' : `${at(h.next)} UTC`}.`,
  };
}
