// The "For you" page and its forms (follow, not interested, saved searches, library import); work without JS.
import type { Hono } from 'hono';
import { AppError, isAppError } from '../../errors.ts';
import type { FollowKind, NotInterestedKind } from '../../services/foryou/index.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { formFields, intQuery, localPath } from '../request-input.ts';
import { cardContext, pageOptions, PRIVATE, withComments } from '../route-helpers.ts';
import { forYouBody, type ForYouView } from '../views/foryou-page.ts';
import { page } from '../views/layout.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion' | 'forYou' | 'library' | 'votes'>;

const PER_PAGE = 20;

async function render(c: WebContext, deps: Deps, extra: Partial<ForYouView> = {}): Promise<Response> {
  const s = deps.services;
  const user = requireUser(c);
  const pageNo = intQuery(c, 'page', 1, 1, 500);
  const days = c.req.query('days') ? intQuery(c, 'days', 7, 1, 365) : null;
  const tag = c.req.query('tag') || null;
  const since = c.req.query('since') || null;
  const feed = await s.forYou.forYou(user.id, {
    limit: PER_PAGE,
    offset: (pageNo - 1) * PER_PAGE,
    ...(days !== null ? { days } : {}),
    ...(since !== null ? { since } : {}),
    ...(tag !== null ? { tag } : {}),
  });
  const ids = feed.items.map((i) => i.paper.id);
  const [votes, voted, follows, searches, lib] = await Promise.all([
    s.votes.counts(ids),
    s.votes.votedBy(user.id, ids),
    s.forYou.follows(user.id),
    s.forYou.savedSearches(user.id),
    s.library.list(user.id, { limit: 1, offset: 0 }),
  ]);
  const view: ForYouView = {
    feed,
    follows,
    searches,
    votes,
    voted,
    card: { ...(await withComments(cardContext(c, deps), deps, ids)), csrf: csrfToken(c, deps) },
    days,
    since,
    tag,
    tags: lib.tags.map((t) => t.tag),
    pageNo,
    perPage: PER_PAGE,
    ...extra,
  };
  const status = extra.error !== undefined ? 400 : 200;
  return c.html(page(pageOptions(c, deps, 'For you'), forYouBody(view)), status, PRIVATE);
}

/** Runs a form action and goes back to `next`; a BAD_INPUT or NOT_FOUND re-shows the page with the reason. */
async function act(
  c: WebContext,
  deps: Deps,
  run: (f: Record<string, string>) => Promise<void>,
): Promise<Response> {
  const f = await formFields(c, ['kind', 'name', 'ref', 'query', 'id', 'next']);
  try {
    await run(f);
  } catch (err) {
    if (!isAppError(err) || !['BAD_INPUT', 'NOT_FOUND'].includes(err.code)) throw err;
    return render(c, deps, { error: err.message });
  }
  return c.redirect(localPath(f.next, '/foryou'), 303);
}

function followKind(v: string): FollowKind {
  if (v !== 'author' && v !== 'category' && v !== 'topic')
    throw new AppError('BAD_INPUT', 'Follow an author, a category or a topic.');
  return v;
}

function markKind(v: string): NotInterestedKind {
  if (v !== 'paper' && v !== 'author') throw new AppError('BAD_INPUT', 'Hide a paper or an author.');
  return v;
}

/** The uploaded file's bytes (decoded by the parsing worker, off the event loop) or the pasted text. */
async function importText(c: WebContext): Promise<string | Uint8Array> {
  const body = await c.req.parseBody().catch((err: unknown) => {
    throw isAppError(err) ? err : new AppError('BAD_INPUT', 'The form could not be read.');
  });
  const file = body.file;
  if (file instanceof File && file.size > 0) return new Uint8Array(await file.arrayBuffer());
  return typeof body.text === 'string' ? body.text : '';
}

/**
 * Registers /foryou and its form actions.
 */
export function registerForYouRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services.forYou;
  app.get('/foryou', (c) => render(c, deps));
  app.post('/foryou/follow', (c) =>
    act(
      c,
      deps,
      async (f) => void (await s.follow(requireUser(c).id, followKind(f.kind ?? ''), f.name ?? '')),
    ),
  );
  app.post('/foryou/unfollow', (c) =>
    act(c, deps, (f) => s.unfollow(requireUser(c).id, followKind(f.kind ?? ''), f.name ?? '')),
  );
  app.post('/foryou/not-interested', (c) =>
    act(
      c,
      deps,
      async (f) => void (await s.notInterested(requireUser(c).id, markKind(f.kind ?? ''), f.ref ?? '')),
    ),
  );
  app.post('/foryou/interested', (c) =>
    act(c, deps, (f) => s.undoNotInterested(requireUser(c).id, markKind(f.kind ?? ''), f.ref ?? '')),
  );
  app.post('/foryou/searches', (c) =>
    act(c, deps, async (f) => void (await s.addSavedSearch(requireUser(c).id, f.query ?? ''))),
  );
  app.post('/foryou/searches/delete', (c) =>
    act(c, deps, (f) => s.removeSavedSearch(requireUser(c).id, Number(f.id ?? '') || -1)),
  );
  app.post('/foryou/import', async (c) => {
    const user = requireUser(c);
    try {
      const imported = await s.importLibrary(user.id, await importText(c), { source: 'upload' });
      return await render(c, deps, { imported });
    } catch (err) {
      if (!isAppError(err) || err.code !== 'BAD_INPUT') throw err;
      return render(c, deps, { error: err.message });
    }
  });
}
