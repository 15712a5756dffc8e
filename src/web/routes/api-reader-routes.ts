// JSON API for a signed-in reader: who am I, the library (save, tag, remove, export), tokens, submit.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import { requireSession, requireUser } from '../auth.ts';
import { enumQuery, jsonBody } from '../request-input.ts';
import type { WebDeps, WebEnv } from '../web-env.ts';
import { paging } from './api-paper-routes.ts';

/** The services this module uses. */
type Deps = WebDeps<
  | 'accounts'
  | 'apiTokens'
  | 'discussion'
  | 'library'
  | 'listings'
  | 'papers'
  | 'profiles'
  | 'submissions'
  | 'votes'
>;

function stringList(v: unknown, name: string): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v) || !v.every((t) => typeof t === 'string'))
    throw new AppError('BAD_INPUT', `${name} must be an array of strings.`);
  return v as string[];
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string') throw new AppError('BAD_INPUT', `${name} must be a string.`);
  return v;
}

/**
 * Registers /api/me, /api/library…, /api/tokens… and /api/submit.
 */
export function registerApiReaderRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/api/me', (c) => c.json(requireUser(c)));
  registerLibraryApi(app, deps);
  registerTokenApi(app, deps);
}

function registerLibraryApi(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services;
  app.get('/api/library', async (c) => {
    const { limit, offset } = paging(c);
    const lib = await s.library.list(requireUser(c).id, {
      tag: c.req.query('tag') || undefined,
      limit,
      offset,
    });
    return c.json({ items: lib.items, total: lib.total, tags: lib.tags, limit, offset });
  });
  app.get('/api/library/export', async (c) => {
    const format = enumQuery(c, 'format', ['bibtex', 'csl-json'] as const, 'bibtex');
    const out = await s.library.export(requireUser(c).id, format, c.req.query('tag') || undefined);
    const type =
      format === 'bibtex'
        ? 'application/x-bibtex; charset=utf-8'
        : 'application/vnd.citationstyles.csl+json; charset=utf-8';
    return c.body(out, 200, { 'Content-Type': type });
  });
  // Replaces the keys of every tag feed of the reader (old feed links stop working); GET /library shows the new.
  app.post('/api/library/feed-keys/rotate', async (c) => {
    await s.library.rotateFeedKeys(requireUser(c).id);
    return c.body(null, 204);
  });
  app.put('/api/library/:id{.+}', async (c) => {
    const body = await jsonBody(c);
    return c.json(await s.library.save(requireUser(c).id, c.req.param('id'), stringList(body.tags, 'tags')));
  });
  app.delete('/api/library/:id{.+}', async (c) => {
    await s.library.remove(requireUser(c).id, c.req.param('id'));
    return c.body(null, 204);
  });
}

function registerTokenApi(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services;
  app.get('/api/tokens', async (c) => c.json({ tokens: await s.apiTokens.list(requireUser(c).id) }));
  app.post('/api/tokens', async (c) => {
    const user = requireSession(c);
    const body = await jsonBody(c);
    const created = await s.apiTokens.create(user.id, body.name === undefined ? '' : text(body.name, 'name'));
    return c.json({ token: created.token, ...created.info }, 201);
  });
  app.delete('/api/tokens/:id', async (c) => {
    const id = Number(c.req.param('id'));
    await s.apiTokens.revoke(requireUser(c).id, Number.isSafeInteger(id) ? id : -1);
    return c.body(null, 204);
  });
  app.post('/api/submit', async (c) => {
    const body = await jsonBody(c);
    return c.json(await s.submissions.submit(requireUser(c).id, text(body.id, 'id')), 201);
  });
}
