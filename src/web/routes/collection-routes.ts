// Collection pages and their form actions: the index, one collection, adding papers, owner edits, votes,
// and each collection's Atom feed and BibTeX / CSL-JSON export.
import type { Hono } from 'hono';
import { isAppError } from '../../errors.ts';
import { plainTitle } from '../../digest/index.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { enumQuery, formFields, intQuery } from '../request-input.ts';
import { cardContext, cardStates, pageOptions, PRIVATE } from '../route-helpers.ts';
import { atomFeed } from '../views/atom-feed.ts';
import {
  addToCollectionBody,
  collectionBody,
  collectionPath,
  collectionsIndexBody,
} from '../views/collection-pages.ts';
import { page } from '../views/layout.ts';
import type { CardState } from '../views/paper-card.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<
  'accounts' | 'apiTokens' | 'baseUrl' | 'collections' | 'discussion' | 'library' | 'papers' | 'votes'
>;

const PER_PAGE = 30;
const FEED_SIZE = 100;

function slugOf(c: WebContext): string {
  return c.req.param('slug') ?? '';
}

async function index(c: WebContext, deps: Deps, error?: string): Promise<Response> {
  const s = deps.services.collections;
  const user = c.get('user');
  const order = enumQuery(c, 'sort', ['popular', 'recent'] as const, 'popular');
  const pageNo = intQuery(c, 'page', 1, 1, 1000);
  const list = await s.listPublic(order, PER_PAGE, (pageNo - 1) * PER_PAGE);
  const mine =
    user === null
      ? null
      : {
          collections: await s.mine(user.id),
          csrf: csrfToken(c, deps),
          ...(error !== undefined ? { error } : {}),
        };
  const body = collectionsIndexBody({ order, list, pageNo, perPage: PER_PAGE, mine });
  return c.html(page(pageOptions(c, deps, 'Collections'), body), error !== undefined ? 400 : 200, PRIVATE);
}

async function show(c: WebContext, deps: Deps, error?: string): Promise<Response> {
  const user = c.get('user');
  const view = await deps.services.collections.view(user?.id ?? null, slugOf(c));
  const ids = view.items.map((i) => i.paperId);
  const [counts, mine] = await Promise.all([deps.services.votes.counts(ids), cardStates(deps, user, ids)]);
  const states = new Map<string, CardState>(
    ids.map((id) => [id, { votes: counts.get(id) ?? 0, voted: false, saved: false, ...mine.get(id) }]),
  );
  const body = collectionBody(
    {
      view,
      states,
      card: cardContext(c, deps),
      csrf: user ? csrfToken(c, deps) : null,
      ...(error !== undefined ? { error } : {}),
    },
    deps.services.baseUrl,
  );
  const title = `${view.collection.title} (collection)`;
  const opts = pageOptions(c, deps, title, {
    description: view.collection.description.slice(0, 200),
    ...(view.collection.public
      ? {
          feeds: [
            {
              title: `${view.collection.title}: new papers`,
              href: `${collectionPath(view.collection.slug)}/feed.atom`,
            },
          ],
        }
      : {}),
  });
  const headers = user === null && view.collection.public ? { 'Cache-Control': 'no-cache' } : PRIVATE;
  return c.html(page(opts, body), error !== undefined ? 400 : 200, headers);
}

/** Runs a form action on a collection and goes back to the collection; a refused input re-shows it with the reason. */
async function collectionAction(
  c: WebContext,
  deps: Deps,
  act: (userId: number, slug: string) => Promise<unknown>,
): Promise<Response> {
  const user = requireUser(c);
  try {
    await act(user.id, slugOf(c));
  } catch (err) {
    if (isAppError(err) && err.code === 'BAD_INPUT') return show(c, deps, err.message);
    throw err;
  }
  return c.redirect(collectionPath(slugOf(c)), 303);
}

/**
 * Registers /collections (index, create, add), /collections/:slug with its actions, feed and exports.
 */
export function registerCollectionRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services.collections;
  app.get('/collections', (c) => index(c, deps));
  app.post('/collections', async (c) => {
    const user = requireUser(c);
    const f = await formFields(c, ['title', 'description', 'public', 'paper', 'note']);
    // An unknown first paper is refused before the collection is made.
    const first = f.paper !== '' ? (await deps.services.papers.get(f.paper)).id : null;
    let slug: string;
    try {
      slug = (await s.create(user.id, { title: f.title, description: f.description, public: f.public })).slug;
    } catch (err) {
      if (isAppError(err) && err.code === 'BAD_INPUT') return index(c, deps, err.message);
      throw err;
    }
    if (first !== null) await s.putPaper(user.id, slug, first, f.note);
    return c.redirect(collectionPath(slug), 303);
  });
  app.get('/collections/add', async (c) => {
    const user = requireUser(c);
    const paper = await deps.services.papers.get(c.req.query('paper') ?? '');
    const body = addToCollectionBody({
      paper: { id: paper.id, title: paper.title },
      mine: await s.mine(user.id),
      csrf: csrfToken(c, deps),
    });
    return c.html(page(pageOptions(c, deps, 'Add to a collection', { math: true }), body), 200, PRIVATE);
  });
  app.post('/collections/add', async (c) => {
    const user = requireUser(c);
    const f = await formFields(c, ['paper', 'collection', 'note']);
    await s.putPaper(user.id, f.collection, f.paper, f.note);
    return c.redirect(collectionPath(f.collection), 303);
  });
  app.get('/collections/:slug/feed.atom', async (c) => {
    const v = await s.view(c.get('user')?.id ?? null, slugOf(c));
    const base = deps.services.baseUrl;
    const newestFirst = [...v.items].sort((a, b) =>
      a.addedAt < b.addedAt ? 1 : a.addedAt > b.addedAt ? -1 : 0,
    );
    const xml = atomFeed(
      {
        title: `Paperboy collection: ${plainTitle(v.collection.title)}`,
        self: `${base}${collectionPath(v.collection.slug)}/feed.atom`,
        alternate: `${base}${collectionPath(v.collection.slug)}`,
        base,
        updated: v.collection.updatedAt,
      },
      newestFirst.slice(0, FEED_SIZE).map((i) => i.paper),
    );
    return c.body(xml, 200, {
      'Content-Type': 'application/atom+xml; charset=utf-8',
      'Cache-Control': v.collection.public ? 'no-cache' : PRIVATE['Cache-Control'],
    });
  });
  for (const [ext, format, type] of [
    ['bib', 'bibtex', 'application/x-bibtex; charset=utf-8'],
    ['json', 'csl-json', 'application/vnd.citationstyles.csl+json; charset=utf-8'],
  ] as const) {
    app.get(`/collections/:slug/export.${ext}`, async (c) => {
      const text = await s.export(c.get('user')?.id ?? null, slugOf(c), format);
      return c.body(text, 200, {
        ...PRIVATE,
        'Content-Type': type,
        'Content-Disposition': `attachment; filename="${slugOf(c).replace(/[^\w.-]+/g, '_')}.${ext}"`,
      });
    });
  }
  app.get('/collections/:slug', (c) => show(c, deps));
  app.post('/collections/:slug/edit', async (c) => {
    const f = await formFields(c, ['title', 'description', 'public']);
    return collectionAction(c, deps, (u, slug) => s.update(u, slug, f));
  });
  app.post('/collections/:slug/delete', async (c) => {
    await formFields(c, []);
    await s.delete(requireUser(c).id, slugOf(c));
    return c.redirect('/collections', 303);
  });
  app.post('/collections/:slug/note', async (c) => {
    const f = await formFields(c, ['paper', 'note']);
    return collectionAction(c, deps, (u, slug) => s.putPaper(u, slug, f.paper, f.note));
  });
  app.post('/collections/:slug/move', async (c) => {
    const f = await formFields(c, ['paper', 'to']);
    const to = (['up', 'down', 'top', 'bottom'] as const).find((d) => d === f.to) ?? 'up';
    return collectionAction(c, deps, (u, slug) => s.move(u, slug, f.paper, to));
  });
  app.post('/collections/:slug/remove', async (c) => {
    const f = await formFields(c, ['paper']);
    return collectionAction(c, deps, (u, slug) => s.removePaper(u, slug, f.paper));
  });
  app.post('/collections/:slug/vote', async (c) => {
    const f = await formFields(c, ['on']);
    return collectionAction(c, deps, (u, slug) => s.vote(u, slug, f.on !== '0'));
  });
}
