// JSON API of "For you": the ranked feed, follows, not-interested marks, saved searches, seen papers, library import.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import type { LibraryFormat } from '../../services/ingest/index.ts';
import type { FollowKind, NotInterestedKind } from '../../services/foryou/index.ts';
import { requireUser } from '../auth.ts';
import { enumQuery, intQuery, jsonBody } from '../request-input.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';
import { paging } from './api-paper-routes.ts';

/** The services this module uses. */
type Deps = WebDeps<
  | 'accounts'
  | 'apiTokens'
  | 'discussion'
  | 'forYou'
  | 'library'
  | 'listings'
  | 'papers'
  | 'profiles'
  | 'votes'
>;

function text(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new AppError('BAD_INPUT', `${name} must be a string.`);
  return v;
}

function kindOf<T extends string>(v: unknown, allowed: readonly T[]): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v))
    throw new AppError('BAD_INPUT', `kind must be one of ${allowed.join(', ')}.`);
  return v as T;
}

const FOLLOW_KINDS = ['author', 'category', 'topic'] as const satisfies readonly FollowKind[];
const MARK_KINDS = ['paper', 'author'] as const satisfies readonly NotInterestedKind[];
const FORMATS = ['auto', 'bibtex', 'csl-json', 'ids'] as const;

/** A reader's marks of one sort (follows, not-interested): list, add and remove by kind and reference. */
interface MarkRoutes<K extends string> {
  path: string;
  listKey: string;
  kinds: readonly K[];
  refField: string;
  list(userId: number): Promise<unknown>;
  add(userId: number, kind: K, ref: string): Promise<unknown>;
  remove(userId: number, kind: K, ref: string): Promise<unknown>;
}

/** GET lists, POST adds (201 with the mark), DELETE removes (204); the body is `{ kind, <refField> }`. */
function registerMarkRoutes<K extends string>(app: Hono<WebEnv>, r: MarkRoutes<K>): void {
  const parse = async (c: WebContext): Promise<[K, string]> => {
    const body = await jsonBody(c);
    return [kindOf(body.kind, r.kinds), text(body[r.refField], r.refField)];
  };
  app.get(r.path, async (c) => c.json({ [r.listKey]: await r.list(requireUser(c).id) }));
  app.post(r.path, async (c) => {
    const user = requireUser(c);
    const [kind, ref] = await parse(c);
    return c.json((await r.add(user.id, kind, ref)) as object, 201);
  });
  app.delete(r.path, async (c) => {
    const user = requireUser(c);
    const [kind, ref] = await parse(c);
    await r.remove(user.id, kind, ref);
    return c.body(null, 204);
  });
}

/**
 * Registers /api/foryou, /api/follows, /api/not-interested, /api/saved-searches, /api/seen and
 * /api/library/import.
 */
export function registerApiForYouRoutes(app: Hono<WebEnv>, deps: Deps): void {
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
  registerMarkRoutes(app, {
    path: '/api/follows',
    listKey: 'follows',
    kinds: FOLLOW_KINDS,
    refField: 'name',
    list: (u) => s.follows(u),
    add: (u, kind, ref) => s.follow(u, kind, ref),
    remove: (u, kind, ref) => s.unfollow(u, kind, ref),
  });
  registerMarkRoutes(app, {
    path: '/api/not-interested',
    listKey: 'items',
    kinds: MARK_KINDS,
    refField: 'ref',
    list: (u) => s.notInterestedList(u),
    add: (u, kind, ref) => s.notInterested(u, kind, ref),
    remove: (u, kind, ref) => s.undoNotInterested(u, kind, ref),
  });
  registerSearchAndImportApi(app, deps);
}

function registerSearchAndImportApi(app: Hono<WebEnv>, deps: Deps): void {
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
    // The bytes go to the parsing worker as they are: decoding 4 MiB here would pause every other request.
    const report = await s.importLibrary(user.id, new Uint8Array(await c.req.arrayBuffer()), {
      source: 'upload',
      ...(format !== 'auto' ? { format: format as LibraryFormat } : {}),
      ...(tag ? { tags: [tag] } : {}),
    });
    return c.json(report);
  });
}
