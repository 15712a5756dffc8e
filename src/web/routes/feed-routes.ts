// Atom feeds: the daily papers (optionally one category or period) and a library tag (signed link).
import type { Hono } from 'hono';
import type { Paper } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import { enumQuery } from '../request-input.ts';
import { atomFeed } from '../views/atom-feed.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'baseUrl' | 'library' | 'listings'>;

const FEED_SIZE = 50;

function latest(papers: readonly Paper[], fallback: string): string {
  return papers.reduce((m, p) => (p.modifiedAt > m ? p.modifiedAt : m), '') || fallback;
}

function atom(c: WebContext, xml: string): Response {
  return c.body(xml, 200, {
    'Content-Type': 'application/atom+xml; charset=utf-8',
    'Cache-Control': 'no-cache',
  });
}

/**
 * Registers /feeds/daily.atom and /feeds/library/:user/:tag.atom.
 */
export function registerFeedRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/feeds/daily.atom', (c) => dailyFeed(c, deps));
  app.get('/feeds/library/:user/:file{.+\\.atom}', (c) => libraryFeed(c, deps));
}

async function dailyFeed(c: WebContext, deps: Deps): Promise<Response> {
  const s = deps.services;
  const period = enumQuery(c, 'period', ['day', 'week', 'month'] as const, 'day');
  const category = c.req.query('category') || undefined;
  const l = await s.listings.window({ period, sort: 'trending', category, limit: FEED_SIZE, offset: 0 });
  const papers = l.items.map((i) => i.paper);
  const self = `${s.baseUrl}${new URL(c.req.url).pathname}${new URL(c.req.url).search}`;
  const title = `Paperboy: ${period === 'day' ? 'daily' : period === 'week' ? 'weekly' : 'monthly'} papers${category !== undefined ? ` in ${category}` : ''}`;
  return atom(
    c,
    atomFeed(
      {
        title,
        self,
        alternate: `${s.baseUrl}/`,
        base: s.baseUrl,
        updated: latest(papers, `${l.window.from}T00:00:00Z`),
      },
      papers,
    ),
  );
}

async function libraryFeed(c: WebContext, deps: Deps): Promise<Response> {
  const s = deps.services;
  const userId = Number(c.req.param('user'));
  const tag = (c.req.param('file') ?? '').replace(/\.atom$/, '');
  if (!Number.isSafeInteger(userId)) throw new AppError('NOT_FOUND', 'No such feed.');
  await s.library.checkFeedKey(userId, tag, c.req.query('key') ?? '');
  const lib = await s.library.list(userId, { tag, limit: FEED_SIZE, offset: 0 });
  const papers = lib.items.map((i) => i.paper);
  const self = `${s.baseUrl}${new URL(c.req.url).pathname}${new URL(c.req.url).search}`;
  const updated = lib.items.reduce((m, i) => (i.savedAt > m ? i.savedAt : m), '') || '1970-01-01T00:00:00Z';
  return atom(
    c,
    atomFeed(
      {
        title: `Paperboy library: ${tag}`,
        self,
        alternate: `${s.baseUrl}/library?tag=${encodeURIComponent(tag)}`,
        base: s.baseUrl,
        updated,
      },
      papers,
    ),
  );
}
