// JSON API for collections and profiles: make, change, add papers with notes, reorder, upvote, read.
import type { Hono } from 'hono';
import type { Collection } from '../../domain/index.ts';
import { AppError } from '../../errors.ts';
import type { CollectionSummary, CollectionView } from '../../services/collections/index.ts';
import { enrichedJson } from '../../services/enrich/index.ts';
import { requireUser } from '../auth.ts';
import { enumQuery, jsonBody } from '../request-input.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';
import { paging } from './api-paper-routes.ts';

/** The services this module uses. */
type Deps = WebDeps<
  | 'accounts'
  | 'apiTokens'
  | 'collections'
  | 'discussion'
  | 'library'
  | 'listings'
  | 'papers'
  | 'profiles'
  | 'votes'
>;

/** A JSON body when one is sent; no body at all reads as {} (PUT of a paper without a note). */
async function optionalJson(c: WebContext): Promise<Record<string, unknown>> {
  const length = c.req.header('content-length');
  if (c.req.header('content-type') === undefined && (length === undefined || length === '0')) return {};
  return jsonBody(c);
}

function summaryJson(c: Collection | CollectionSummary): object {
  const { id: _id, ownerId: _owner, ...rest } = c;
  return rest;
}

/** A collection as GET /api/collections/{slug} answers: its fields, owner and papers (each with its note). */
export function collectionJson(v: CollectionView, votes: Map<string, number>): object {
  return {
    ...summaryJson(v.collection),
    owner: v.owner,
    mine: v.mine,
    voted: v.voted,
    papers: v.items.map((i) => ({
      ...enrichedJson(i.paper),
      votes: votes.get(i.paperId) ?? 0,
      note: i.note,
      position: i.position,
      addedAt: i.addedAt,
    })),
  };
}

function slugOf(c: WebContext): string {
  return c.req.param('slug') ?? '';
}

/**
 * Registers /api/collections…, /api/me/collections, /api/me/profile and /api/users/{handle}.
 */
export function registerApiCollectionRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services.collections;
  const view = async (c: WebContext): Promise<Response> => {
    const v = await s.view(c.get('user')?.id ?? null, slugOf(c));
    const votes = await deps.services.votes.counts(v.items.map((i) => i.paperId));
    return c.json(collectionJson(v, votes));
  };
  app.get('/api/collections', async (c) => {
    const { limit, offset } = paging(c);
    const sort = enumQuery(c, 'sort', ['popular', 'recent'] as const, 'popular');
    const r = await s.listPublic(sort, limit, offset);
    return c.json({
      collections: r.collections.map((x) => ({ ...summaryJson(x), owner: x.owner })),
      total: r.total,
      limit,
      offset,
    });
  });
  app.post('/api/collections', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    const made = await s.create(user.id, { title: b.title, description: b.description, public: b.public });
    return c.json(summaryJson(made), 201);
  });
  app.get('/api/me/collections', async (c) =>
    c.json({ collections: (await s.mine(requireUser(c).id)).map(summaryJson) }),
  );
  app.get('/api/collections/:slug', view);
  app.patch('/api/collections/:slug', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    await s.update(user.id, slugOf(c), { title: b.title, description: b.description, public: b.public });
    return view(c);
  });
  app.delete('/api/collections/:slug', async (c) => {
    await s.delete(requireUser(c).id, slugOf(c));
    return c.body(null, 204);
  });
  app.put('/api/collections/:slug/order', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    await s.reorder(user.id, slugOf(c), b.papers);
    return view(c);
  });
  app.put('/api/collections/:slug/vote', async (c) =>
    c.json(await s.vote(requireUser(c).id, slugOf(c), true)),
  );
  app.delete('/api/collections/:slug/vote', async (c) =>
    c.json(await s.vote(requireUser(c).id, slugOf(c), false)),
  );
  app.put('/api/collections/:slug/papers/:id{.+}', async (c) => {
    const user = requireUser(c);
    const b = await optionalJson(c);
    if (b.note !== undefined && b.note !== null && typeof b.note !== 'string')
      throw new AppError('BAD_INPUT', '"note" must be a string.');
    const r = await s.putPaper(user.id, slugOf(c), c.req.param('id'), b.note);
    return c.json({ paperId: c.req.param('id'), added: r.added }, r.added ? 201 : 200);
  });
  app.delete('/api/collections/:slug/papers/:id{.+}', async (c) => {
    await s.removePaper(requireUser(c).id, slugOf(c), c.req.param('id'));
    return c.body(null, 204);
  });
  registerProfileApi(app, deps);
}

function registerProfileApi(app: Hono<WebEnv>, deps: Deps): void {
  const p = deps.services.profiles;
  app.get('/api/me/profile', async (c) => {
    const profile = await p.get(requireUser(c).id);
    return c.json(
      profile === null
        ? { handle: null, showUpvotes: false }
        : { handle: profile.handle, showUpvotes: profile.showUpvotes },
    );
  });
  app.put('/api/me/profile', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    if (b.handle !== undefined) {
      if (typeof b.handle !== 'string') throw new AppError('BAD_INPUT', '"handle" must be a string.');
      await p.setHandle(user.id, b.handle);
    }
    if (b.showUpvotes !== undefined) {
      if (typeof b.showUpvotes !== 'boolean')
        throw new AppError('BAD_INPUT', '"showUpvotes" must be true or false.');
      await p.setShowUpvotes(user.id, b.showUpvotes);
    }
    const profile = await p.get(user.id);
    return c.json({ handle: profile?.handle ?? null, showUpvotes: profile?.showUpvotes ?? false });
  });
  app.get('/api/users/:handle', async (c) => {
    const page = await p.page(c.req.param('handle'), 30);
    return c.json({
      handle: page.profile.handle,
      name: page.profile.name,
      collections: page.collections.map(summaryJson),
      submitted: { papers: page.submitted.papers.map((x) => enrichedJson(x)), total: page.submitted.total },
      upvoted:
        page.upvoted === null
          ? null
          : { papers: page.upvoted.papers.map((x) => enrichedJson(x)), total: page.upvoted.total },
    });
  });
}
