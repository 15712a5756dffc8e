// The reader's notifications: the /notifications page, marking them read, and the personal Atom feed.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import { requireUser } from '../auth.ts';
import { csrfToken } from '../csrf.ts';
import { pageOptions, PRIVATE } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import { notificationsBody, notificationsFeed } from '../views/notifications-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'accounts' | 'apiTokens' | 'baseUrl' | 'discussion' | 'library' | 'votes'>;

const FEED_SIZE = 50;

async function feedPath(deps: Deps, userId: number): Promise<string> {
  return `/feeds/notifications/${userId}.atom?key=${await deps.services.discussion.notifications.feedKey(userId)}`;
}

async function show(c: WebContext, deps: Deps): Promise<Response> {
  const user = requireUser(c);
  const n = deps.services.discussion.notifications;
  const list = await n.list(user.id);
  const body = notificationsBody(list, csrfToken(c, deps), await feedPath(deps, user.id), new Date());
  const opts = pageOptions(c, deps, 'Notifications', {
    math: true,
    feeds: [{ title: 'Paperboy notifications', href: await feedPath(deps, user.id) }],
  });
  return c.html(page(opts, body), 200, PRIVATE);
}

async function feed(c: WebContext, deps: Deps): Promise<Response> {
  const m = /^(\d{1,15})\.atom$/.exec(c.req.param('file') ?? '');
  if (m === null) throw new AppError('NOT_FOUND', 'No such feed.');
  const userId = Number(m[1]);
  const n = deps.services.discussion.notifications;
  await n.checkFeedKey(userId, c.req.query('key') ?? '');
  const base = deps.services.baseUrl;
  const u = new URL(c.req.url);
  const xml = notificationsFeed(await n.list(userId, FEED_SIZE), {
    self: `${base}${u.pathname}${u.search}`,
    base,
    alternate: `${base}/notifications`,
  });
  return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8', ...PRIVATE });
}

/**
 * Registers GET /notifications, POST /notifications/read and GET /feeds/notifications/:user.atom?key=….
 */
export function registerNotificationRoutes(app: Hono<WebEnv>, deps: Deps): void {
  app.get('/notifications', (c) => show(c, deps));
  app.post('/notifications/read', async (c) => {
    await deps.services.discussion.notifications.markAllRead(requireUser(c).id);
    return c.redirect('/notifications', 303);
  });
  app.get('/feeds/notifications/:file', (c) => feed(c, deps));
}
