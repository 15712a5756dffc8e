// JSON API of "For you": the ranked feed, follows, not-interested marks, saved searches, seen papers, library import.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import type { LibraryFormat } from '../../services/library-import.ts';
import type { FollowKind, NotInterestedKind } from '../../services/foryou-service.ts';
import { requireUser } from '../auth.ts';
import { enumQuery, intQuery, jsonBody } from '../request-input.ts';
import type { WebDeps, WebEnv } from '../web-env.ts';
import { paging } from './api-paper-routes.ts';

function text(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new AppError('BAD_INPUT', `${name} must be a string.`);
  return v;
}

function kindOf<T extends string>(v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new AppError('BAD_INPUT', `kind must be one of ${allowed.join(', ')}.`);
  return v as T;
}

const FOLLOW_KINDS = ['author', 'category'] as const satisfies readonly FollowKind[];
const MARK_KINDS = ['paper', 'author'] as const satisfies readonly NotInterestedKind[];
const FORMATS = ['auto', 'bibtex', 'csl-json', 'ids'] as const;

/**
 * Registers /api/foryou, /api/follows, /api/not-interested, /api/saved-searches, /api/seen and
 * /api/library/import.
 * @example registerApiForYouRoutes(app, deps)
 */
export function registerApiForYouRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
  const s = deps.services.forYou;
  app.get('/api/foryou', async (c) => {
    const { limit, offset } = paging(c);
    const days = c.req.query('days');
    const res = await s.forYou(requireUser(c).id, {
      limit,
      offset,
      ...(days !== undefined ? { days: intQuery(c, 'days', 7, 1, 365) } : {}),
      ...(c.req.query('since') ? { since: c.req.query('since') } : {}),
      ...(c.req.query('tag') ? { tag: c.req.query('tag') } : {}),
    });
    return c.json({ ...res, limit, offset });
  });
  app.get('/api/follows', async (c) => c.json({ follows: await s.follows(requireUser(c).id) }));
  app.post('/api/follows', async (c) => {
    const body = await jsonBody(c);
    const follow = await s.follow(
      requireUser(c).id,
      kindOf(body.kind, FOLLOW_KINDS),
      text(body.name, 'name'),
    );
    return c.json(follow, 201);
  });
  app.delete('/api/follows', async (c) => {
    const body = await jsonBody(c);
    await s.unfollow(requireUser(c).id, kindOf(body.kind, FOLLOW_KINDS), text(body.name, 'name'));
    return c.body(null, 204);
  });
  app.get('/api/not-interested', async (c) =>
    c.json({ items: await s.notInterestedList(requireUser(c).id) }),
  );
  app.post('/api/not-interested', async (c) => {
    const body = await jsonBody(c);
    const mark = await s.notInterested(
      requireUser(c).id,
      kindOf(body.kind, MARK_KINDS),
      text(body.ref, 'ref'),
    );
    return c.json(mark, 201);
  });
  app.delete('/api/not-interested', async (c) => {
    const body = await jsonBody(c);
    await s.undoNotInterested(requireUser(c).id, kindOf(body.kind, MARK_KINDS), text(body.ref, 'ref'));
    return c.body(null, 204);
  });
  registerSearchAndImportApi(app, deps);
}

function registerSearchAndImportApi(app: Hono<WebEnv>, deps: WebDeps): void {
  const s = deps.services.forYou;
  app.get('/api/saved-searches', async (c) => c.json({ searches: await s.savedSearches(requireUser(c).id) }));
  app.post('/api/saved-searches', async (c) => {
    const body = await jsonBody(c);
    return c.json(await s.addSavedSearch(requireUser(c).id, text(body.query, 'query')), 201);
  });
  app.delete('/api/saved-searches/:id', async (c) => {
    const id = Number(c.req.param('id'));
    await s.removeSavedSearch(requireUser(c).id, Number.isSafeInteger(id) ? id : -1);
    return c.body(null, 204);
  });
  app.post('/api/seen', async (c) => {
    const body = await jsonBody(c);
    const ids = body.ids;
    if (!Array.isArray(ids) || !ids.every((i) => typeof i === 'string'))
      throw new AppError('BAD_INPUT', 'ids must be an array of paper ids.');
    return c.json({ added: await s.markSeen(requireUser(c).id, ids as string[]) });
  });
  app.post('/api/library/import', async (c) => {
    const user = requireUser(c);
    const format = enumQuery(c, 'format', FORMATS, 'auto');
    const tag = c.req.query('tag');
    const report = await s.importLibrary(user.id, await c.req.text(), {
      source: 'upload',
      ...(format !== 'auto' ? { format: format as LibraryFormat } : {}),
      ...(tag ? { tags: [tag] } : {}),
    });
    return c.json(report);
  });
}
