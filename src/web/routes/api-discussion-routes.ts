// JSON API of the discussion: a paper's comments, posting, editing, deleting, voting, reporting, notifications.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import type { CommentView } from '../../services/discussion/index.ts';
import { requireUser } from '../auth.ts';
import { enumQuery, jsonBody } from '../request-input.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'discussion'>;

/** A comment as the API gives it (documented in /api/openapi.json as Comment). */
export function commentJson(c: CommentView): object {
  return {
    id: c.id,
    paperId: c.paperId,
    parentId: c.parentId,
    author: c.author === null ? null : { handle: c.author.handle, name: c.author.name },
    body: c.body,
    html: c.html,
    createdAt: c.createdAt,
    editedAt: c.editedAt,
    votes: c.votes,
    deleted: c.deleted,
    ...(c.hidden ? { hidden: true } : {}),
  };
}

function commentId(c: WebContext): number {
  const raw = c.req.param('id') ?? '';
  if (!/^\d{1,15}$/.test(raw)) throw new AppError('NOT_FOUND', `No comment ${raw.slice(0, 40)}.`);
  return Number(raw);
}

/**
 * Registers /api/papers/:id/comments (GET, POST), /api/comments/:id (PATCH, DELETE), its /vote and /report,
 * /api/comments/preview and /api/notifications. Register before the /api/papers/:id fallback.
 */
export function registerApiDiscussionRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const s = deps.services.discussion;
  app.get('/api/papers/:id{.+}/comments', async (c) => {
    const order = enumQuery(c, 'order', ['oldest', 'newest'] as const, 'oldest');
    const list = await s.comments.thread(c.req.param('id'), c.get('user'), order);
    return c.json({ comments: list.map(commentJson) });
  });
  app.post('/api/papers/:id{.+}/comments', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    const made = await s.comments.post(user, c.req.param('id'), b.body, b.parentId);
    return c.json(commentJson(made), 201);
  });
  app.post('/api/comments/preview', async (c) => {
    requireUser(c);
    return c.json({ html: s.comments.preview((await jsonBody(c)).body) });
  });
  app.get('/api/comments/:id', async (c) =>
    c.json(commentJson(await s.comments.get(c.get('user'), commentId(c)))),
  );
  app.patch('/api/comments/:id', async (c) => {
    const user = requireUser(c);
    const b = await jsonBody(c);
    return c.json(commentJson(await s.comments.edit(user, commentId(c), b.body)));
  });
  app.delete('/api/comments/:id', async (c) => {
    const user = requireUser(c);
    const id = commentId(c);
    await s.comments.remove(user, id);
    return c.json({ id, deleted: true });
  });
  app.put('/api/comments/:id/vote', async (c) =>
    c.json(await s.comments.vote(requireUser(c), commentId(c), true)),
  );
  app.delete('/api/comments/:id/vote', async (c) =>
    c.json(await s.comments.vote(requireUser(c), commentId(c), false)),
  );
  app.post('/api/comments/:id/report', async (c) => {
    const user = requireUser(c);
    const text = await c.req.text();
    let reason: unknown = '';
    if (text.trim() !== '') {
      try {
        const o = JSON.parse(text) as unknown;
        reason = typeof o === 'object' && o !== null ? ((o as { reason?: unknown }).reason ?? '') : '';
      } catch {
        throw new AppError('BAD_INPUT', 'The body is not valid JSON; send {"reason": "…"} or nothing.');
      }
    }
    await s.comments.report(user, commentId(c), reason);
    return c.json({ id: commentId(c), reported: true }, 202);
  });
  app.get('/api/notifications', async (c) => {
    const user = requireUser(c);
    const [list, unread] = await Promise.all([
      s.notifications.list(user.id),
      s.notifications.unreadCount(user.id),
    ]);
    return c.json({ unread, notifications: list });
  });
  app.post('/api/notifications/read', async (c) =>
    c.json({ marked: await s.notifications.markAllRead(requireUser(c).id) }),
  );
}
