// Follow and unfollow buttons on author and category pages, for signed-in readers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webEnv, type ReaderEnv } from '../helpers/reader-env.ts';
import { paper } from '../helpers/temp-store.ts';
import { signUpVia, WebClient } from '../helpers/web-client.ts';
import type { Hono } from 'hono';
import type { WebEnv } from '../../src/web/web-env.ts';

let env: ReaderEnv & { app: Hono<WebEnv> };

beforeAll(async () => {
  env = await webEnv();
  await env.addPapers([paper({ arxivId: '2607.00001', authors: ['Ada Lovelace'], categories: ['cs.CL'] })]);
});
afterAll(async () => env.cleanup());

describe('follow buttons', () => {
  it('are absent for anonymous readers', async () => {
    const page = await (await env.app.request('/authors/Ada%20Lovelace')).text();
    expect(page).not.toContain('Follow this author');
  });

  it('follow and unfollow an author and a category from their pages', async () => {
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'reader@example.org');
    const user = (await env.temp.store.users.byEmail('reader@example.org'))?.user;
    expect(user).toBeDefined();
    expect(await (await web.get('/authors/Ada%20Lovelace')).text()).toContain('Follow this author');
    await web.post('/foryou/follow', {
      kind: 'author',
      name: 'Ada Lovelace',
      next: '/authors/Ada%20Lovelace',
    });
    await web.post('/foryou/follow', { kind: 'category', name: 'cs.CL', next: '/categories/cs.CL' });
    const follows = await env.services.forYou.follows(user?.id ?? -1);
    expect(follows.map((f) => f.kind).sort()).toEqual(['author', 'category']);
    expect(await (await web.get('/authors/Ada%20Lovelace')).text()).toContain('Unfollow this author');
    expect(await (await web.get('/categories/cs.CL')).text()).toContain('Unfollow this category');
    await web.post('/foryou/unfollow', {
      kind: 'author',
      name: 'Ada Lovelace',
      next: '/authors/Ada%20Lovelace',
    });
    expect(await (await web.get('/authors/Ada%20Lovelace')).text()).toContain('Follow this author');
  });

  it('offer "Not interested" and following the first author on a paper page', async () => {
    expect(await (await env.app.request('/papers/2607.00001')).text()).not.toContain('Not interested');
    const web = new WebClient(env.app);
    await signUpVia(web, env, 'second@example.org');
    const page = await (await web.get('/papers/2607.00001')).text();
    const reader = (await env.temp.store.users.byEmail('second@example.org'))?.user;
    const seen = await env.temp.store.forYou.seenAmong(reader?.id ?? -1, ['2607.00001']);
    expect([...seen]).toEqual(['2607.00001']);
    expect(page).toContain('Not interested');
    expect(page).toContain('Follow Ada Lovelace');
    await web.post('/foryou/not-interested', {
      kind: 'paper',
      ref: '2607.00001',
      next: '/papers/2607.00001',
    });
    const user = (await env.temp.store.users.byEmail('second@example.org'))?.user;
    const feed = await env.services.forYou.forYou(user?.id ?? -1, { days: 30 });
    expect(feed.items.map((i) => i.paper.id)).not.toContain('2607.00001');
  });
});
