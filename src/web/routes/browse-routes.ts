// Author and category pages: every paper of an author, or of a category, newest first.
import type { Hono } from 'hono';
import { checkCategory } from '../../services/papers/index.ts';
import { intQuery } from '../request-input.ts';
import { cardContext, cardStates, pageOptions, withComments } from '../route-helpers.ts';
import { authorIntro, browseBodyPage } from '../views/browse-pages.ts';
import { normalizeAuthorName } from '../../domain/index.ts';
import { actionButton } from '../views/foryou-page.ts';
import { html, type SafeHtml } from '../views/html.ts';
import { page } from '../views/layout.ts';
import { authorPath, categoryPath } from '../views/paths.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'forYou' | 'library' | 'listings' | 'votes'>;

const PER_PAGE = 30;

/** A Follow or Unfollow button for a signed-in reader (nothing for anonymous readers). */
async function followControl(
  c: WebContext,
  deps: Deps,
  kind: 'author' | 'category',
  name: string,
): Promise<SafeHtml> {
  const user = c.get('user');
  const card = cardContext(c, deps);
  if (user === null || card.csrf === null) return html``;
  const key = kind === 'author' ? normalizeAuthorName(name) : name.toLowerCase();
  const follows = await deps.services.forYou.follows(user.id);
  const followed = follows.some((f) => f.kind === kind && f.key.toLowerCase() === key);
  return followed
    ? actionButton('/foryou/unfollow', `Unfollow this ${kind}`, { kind, name }, card.csrf, card.next)
    : actionButton('/foryou/follow', `Follow this ${kind}`, { kind, name }, card.csrf, card.next);
}

/**
 * Registers `/authors/:name` and `/categories/:category`.
 */
export function registerBrowseRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/authors/:name', (c) => authorPage(c, deps));
  app.get('/categories/:category', (c) => categoryPage(c, deps));
}

async function authorPage(c: WebContext, deps: Deps): Promise<Response> {
  const name = c.req.param('name') ?? '';
  const pageNo = intQuery(c, 'page', 1, 1, 1000);
  const r = await deps.services.listings.author(name, PER_PAGE, (pageNo - 1) * PER_PAGE);
  const states = await cardStates(
    deps,
    c.get('user'),
    r.items.map((i) => i.paper.id),
  );
  const body = browseBodyPage({
    heading: name,
    intro: html`${authorIntro(name, r.total, r.items)} ${await followControl(c, deps, 'author', name)}`,
    ...r,
    states,
    card: await withComments(
      cardContext(c, deps),
      deps,
      r.items.map((i) => i.paper.id),
    ),
    path: authorPath(name),
    pageNo,
    perPage: PER_PAGE,
    empty: 'No papers by this author here.',
  });
  return c.html(page(pageOptions(c, deps, name), body), r.total === 0 ? 404 : 200);
}

async function categoryPage(c: WebContext, deps: Deps): Promise<Response> {
  const category = checkCategory(c.req.param('category') ?? '');
  const pageNo = intQuery(c, 'page', 1, 1, 1000);
  const r = await deps.services.listings.category(category, PER_PAGE, (pageNo - 1) * PER_PAGE);
  const states = await cardStates(
    deps,
    c.get('user'),
    r.items.map((i) => i.paper.id),
  );
  const body = browseBodyPage({
    heading: category,
    intro: html`<p>
        ${r.total} paper${r.total === 1 ? '' : 's'}, newest first.
        <a href="/week?category=${encodeURIComponent(category)}">Trending this week</a> ·
        <a href="/feeds/daily.atom?category=${encodeURIComponent(category)}">Atom feed</a>
      </p>
      ${await followControl(c, deps, 'category', category)}`,
    ...r,
    states,
    card: await withComments(
      cardContext(c, deps),
      deps,
      r.items.map((i) => i.paper.id),
    ),
    path: categoryPath(category),
    pageNo,
    perPage: PER_PAGE,
    empty: 'No papers in this category yet.',
  });
  return c.html(page(pageOptions(c, deps, category), body), r.total === 0 ? 404 : 200);
}
