// Following a topic: the button on its page (signed-in readers), the follow in the API and on /foryou, its
// papers ranked first in For you with the topic as reason, and a "Followed topics" section in the digest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hono } from 'hono';
import type { Subscription } from '../../src/services/digest/digest-service.ts';
import type { WebEnv } from '../../src/web/web-env.ts';
import { topicCorpus } from '../fixtures/topic-corpus.ts';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';

let env: ReaderEnv & { app: Hono<WebEnv> };
let topic: { id: number; label: string };
let members: Map<string, number>;

beforeAll(async () => {
  env = await webEnv({ PAPERBOY_BASE_URL: 'https://papers.example.org', DIGEST_SKIP_EMPTY: 'false' });
  await env.addPapers(topicCorpus(30).papers);
  await env.services.semantic.train({ epochs: 2, dim: 32 });
  await env.services.semantic.embed();
  await env.services.topics.recompute({ k: 4 });
  const list = await env.services.topics.list();
  topic = list[0]!;
  members = new Map((await env.temp.store.topics.points()).map((p) => [p.paperId, p.topicId]));
}, 120_000);
afterAll(async () => {
  env.services.digest.close();
  await env.cleanup();
});

async function reader(email: string): Promise<{ web: WebClient; id: number }> {
  const web = new WebClient(env.app);
  await signUpVia(web, env, email);
  const user = (await env.temp.store.users.byEmail(email))?.user;
  if (user === undefined) throw new Error('no user');
  return { web, id: user.id };
}

describe('following a topic', () => {
  it('follows and unfollows from the topic page; the follow shows on /foryou and in the API', async () => {
    const anonymous = await (await env.app.request(`/topics/${topic.id}`)).text();
    expect(anonymous).not.toContain('Follow this topic');
    expect(anonymous).toContain(`href="/signin?next=/topics/${topic.id}"`);
    const { web } = await reader('topic-reader@example.org');
    const page = await (await web.get(`/topics/${topic.id}`)).text();
    expect(page).toContain('Follow this topic');
    const res = await web.post('/foryou/follow', {
      kind: 'topic',
      name: String(topic.id),
      next: `/topics/${topic.id}`,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/topics/${topic.id}`);
    expect(await (await web.get(`/topics/${topic.id}`)).text()).toContain('Unfollow this topic');
    const follows = (await (await web.get('/api/follows')).json()) as { follows: unknown[] };
    expect(follows.follows).toEqual([
      expect.objectContaining({ kind: 'topic', key: String(topic.id), label: topic.label }),
    ]);
    expect(await (await web.get('/foryou')).text()).toContain(`href="/topics/${topic.id}"`);
    // No such topic, or not a topic id at all.
    expect((await web.json('POST', '/api/follows', { kind: 'topic', name: '9999' })).status).toBe(404);
    expect((await web.json('POST', '/api/follows', { kind: 'topic', name: 'robots' })).status).toBe(400);
    await web.post('/foryou/unfollow', { kind: 'topic', name: String(topic.id), next: '/foryou' });
    expect(await (await web.get(`/topics/${topic.id}`)).text()).toContain('Follow this topic');
  });

  it("ranks the topic's papers first in For you, with the topic as the reason", async () => {
    const follower = await reader('follower@example.org');
    const other = await reader('other@example.org');
    await env.services.forYou.follow(follower.id, 'topic', String(topic.id));
    env.clock.set('2026-08-01T12:00:00Z'); // every generated paper (July) is in the window
    const mine = await env.services.forYou.forYou(follower.id, { since: 'all', limit: 20 });
    expect(mine.items).toHaveLength(20);
    for (const item of mine.items) {
      expect(members.get(item.paper.id), item.paper.id).toBe(topic.id);
      expect(item.reasonKind).toBe('topic');
      expect(item.reason).toBe(`in the topic "${topic.label}"`);
    }
    // Without the follow the same window is not one topic's: the follow made the difference.
    const theirs = await env.services.forYou.forYou(other.id, { since: 'all', limit: 20 });
    expect(new Set(theirs.items.map((i) => members.get(i.paper.id))).size).toBeGreaterThan(1);
  });

  it("puts the window's papers of a followed topic in the digest's follows section", async () => {
    const follower = await reader('digest-follower@example.org');
    await env.services.forYou.follow(follower.id, 'topic', String(topic.id));
    const { subscriptions } = env.services.digest;
    const email = 'digest-follower@example.org';
    await subscriptions.subscribe(email, 'test', follower.id);
    await env.mailed();
    let sub: Subscription = await subscriptions.confirm(env.lastLink(email).split('/').at(-1) ?? '');
    const manage = subscriptions.links(sub).manageUrl.split('/').at(-1) ?? '';
    sub = await subscriptions.updateSettings(manage, {
      frequency: 'daily',
      sendHour: '7',
      timeZone: 'UTC',
      weekday: '1',
      sections: ['authors'],
      maxPapers: '20',
    });
    const points = await env.temp.store.topics.points();
    const day = points.find((p) => p.topicId === topic.id)!.date.slice(0, 10);
    const m = await env.services.digest.delivery.preview(sub.email, day);
    expect(m.html).toContain('>Followed topics</h2>');
    expect(m.html).toContain(`in the topic &quot;${topic.label}&quot;`);
    const listed = [...m.html.matchAll(/papers\.example\.org\/papers\/(2607\.\d{5})"/g)].map((x) => x[1]!);
    expect(listed.length).toBeGreaterThan(0);
    const onDay = points
      .filter((p) => p.date.startsWith(day) && p.topicId === topic.id)
      .map((p) => p.paperId);
    expect(new Set(listed)).toEqual(new Set(onDay));
  });
});
