// Topics: GET /api/topics, GET /api/topics/:id, and the pages /topics and /topics/:id.
import type { Hono } from 'hono';
import { AppError } from '../../errors.ts';
import type { TopicDetail } from '../../services/topics/index.ts';
import { csrfToken } from '../csrf.ts';
import { herePath, pageOptions, PRIVATE } from '../route-helpers.ts';
import { page } from '../views/layout.ts';
import { topicPage, topicsIndexPage } from '../views/topic-page.ts';
import type { WebContext, WebDeps, WebEnv } from '../web-env.ts';

/** The services this module uses. */
type Deps = WebDeps<'discussion' | 'forYou' | 'graph' | 'library' | 'topics' | 'votes'>;

/** A topic id from the path: a positive whole number, else NOT_FOUND. */
export function topicId(c: WebContext): number {
  const raw = c.req.param('id') ?? '';
  if (!/^[1-9]\d{0,8}$/.test(raw))
    throw new AppError('NOT_FOUND', `No topic "${raw.slice(0, 40)}"; see /topics.`);
  return Number(raw);
}

/** A topic's JSON: its papers as ids, titles, votes and closeness instead of whole records. */
function detailJson(t: TopicDetail): object {
  return {
    ...t,
    papers: t.papers.map((p) => ({
      id: p.paper.id,
      title: p.paper.title,
      votes: p.votes,
      similarity: Number(p.similarity.toFixed(4)),
    })),
  };
}

export function registerApiTopicRoutes(app: Hono<WebEnv>, deps: Deps): void {
  const topics = deps.services.topics;
  app.get('/api/topics', async (c) => {
    const [list, areas] = await Promise.all([topics.list(), topics.areas()]);
    return c.json({ topics: list, areas });
  });
  app.get('/api/topics/:id', async (c) => c.json(detailJson(await topics.get(topicId(c)))));
  // Registered before the catch-all /api/papers/:id route.
  app.get('/api/papers/:id{.+}/graph', async (c) =>
    c.json(await deps.services.graph.of(c.req.param('id') ?? '')),
  );
}

/**
 * The pages /topics and /topics/:id.
 */
export function registerTopicPages(app: Hono<WebEnv>, deps: Deps): void {
  const topics = deps.services.topics;
  app.get('/topics', async (c) => {
    const [list, rising, areas] = await Promise.all([topics.list(), topics.rising(5), topics.areas()]);
    return c.html(page(pageOptions(c, deps, 'Topics'), topicsIndexPage(list, rising, areas)));
  });
  app.get('/topics/:id', async (c) => {
    const [t, areas] = await Promise.all([topics.get(topicId(c)), topics.areas()]);
    const user = c.get('user');
    const follow =
      user === null
        ? null
        : {
            csrf: csrfToken(c, deps),
            here: herePath(c),
            following: (await deps.services.forYou.follows(user.id)).some(
              (f) => f.kind === 'topic' && f.key === String(t.id),
            ),
          };
    return c.html(
      page(pageOptions(c, deps, t.label), topicPage(t, follow, areas.find((a) => a.id === t.area) ?? null)),
      200,
      PRIVATE,
    );
  });
}
